extension ImageSubject {
    /// Plans the copies `prompts` will send, each at the resolution its model's profile gives it (see ``plan(_:)``).
    func plan(for prompts: [PromptSettings], config: Configuration, profiles: ModelProfiles) async {
        var resolutions: [ResolutionSetting] = []
        for prompt in prompts {
            let profile = await profiles.profile(for: prompt.effectiveModel(default: config.api.model))
            resolutions.append(profile.sendResolution(for: prompt, caps: config.api.autoMaxSide))
        }
        plan(resolutions)
    }
}
