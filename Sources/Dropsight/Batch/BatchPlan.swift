/// Which queued jobs may go by batch, from the configuration alone.
///
/// A batch holds requests for one model, so the work is split by model: for each, the prompts on it (those on
/// a held model left out) and the folders whose jobs go by batch. `always` folders go by batch whatever their
/// number; `auto` folders only once `batch_min_jobs` of their jobs wait.
struct BatchPlan: Equatable {
    /// One model's share of the work.
    struct Group: Equatable {
        var model: String
        var prompts: [String]
        /// Folders whose jobs always go by batch.
        var always: [String]
        /// Folders whose backlog goes by batch once it reaches `batch_min_jobs`.
        var auto: [String]
    }

    var groups: [Group]

    init(config: Configuration, heldPrompts: [String]) {
        let held = Set(heldPrompts)
        var byModel: [String: [String]] = [:]
        for (name, prompt) in config.prompts where !held.contains(name) {
            byModel[prompt.effectiveModel(default: config.api.model), default: []].append(name)
        }
        groups = byModel.keys.sorted().compactMap { model in
            let prompts = byModel[model]!.sorted()
            let using = config.folders.filter { !Set($0.prompts).isDisjoint(with: prompts) }
            let always = using.filter { config.batchMode(of: $0) == .always }.map(\.path)
            let auto = using.filter { config.batchMode(of: $0) == .auto }.map(\.path)
            return always.isEmpty && auto.isEmpty ? nil : Group(model: model, prompts: prompts, always: always, auto: auto)
        }
    }

    /// Folders the interactive queue never serves: their jobs go by batch only.
    static func batchOnlyFolders(_ config: Configuration) -> [String] {
        config.folders.filter { config.batchMode(of: $0) == .always }.map(\.path)
    }
}
