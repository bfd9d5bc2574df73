import Foundation

/// The steps generateContent and batch lines share: reading a request, looking at its images,
/// counting its tokens, planning thinking and writing the answer.
///
/// `GenerateHandler` runs them around its fault, latency and quota checks; `BatchRunner` runs
/// them one after another for each line (no faults, latency or quotas: a batch line is not an
/// interactive request).
struct ContentGenerator {
    let services: EmulatorServices

    /// `parsed` with canonical keys, checked against the request schema (400 BadRequest if not);
    /// a countTokens request gives its inner generateContent request when it has one.
    static func normalize(_ parsed: WireJSON, isCount: Bool = false) throws(GoogleError) -> WireJSON {
        var normalized: WireJSON
        do {
            normalized = try RequestNormalizer.normalize(parsed, as: isCount ? "CountTokensRequest" : "GenerateContentRequest")
        } catch {
            throw .badRequest(error)
        }
        if isCount, let inner = normalized["generateContentRequest"] { normalized = inner }
        return normalized
    }

    /// What the emulator sees in each of the prompt's media (nil for non-images); a 400 when an
    /// image does not decode.
    func scenes(of prompt: PromptRequest) async throws(GoogleError) -> [SceneAnalysis?] {
        var scenes: [SceneAnalysis?] = []
        for media in prompt.media {
            guard media.isImage else {
                scenes.append(nil)
                continue
            }
            guard let scene = await services.worker.analyse(media.data) else {
                throw .invalidArgument(
                    "Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"
                )
            }
            scenes.append(scene)
        }
        return scenes
    }

    /// The answer's candidate, with `usage` completed: canned reply or composed text, thinking,
    /// token limits and reply faults (`fault`).
    func answer(
        _ prompt: PromptRequest, scenes: [SceneAnalysis?], answering: ModelEntry, thinking: ThinkingPlan,
        fault: FaultRule.Action?, usage: inout UsageMetadata
    ) async throws(GoogleError) -> Candidate {
        let text: String
        if let canned = services.replies.reply(for: prompt.promptText) {
            text = canned
        } else {
            do {
                let composer = AnswerComposer(
                    worker: services.worker, maskForm: services.configuration.maskForm,
                    segmentation: answering.segmentation, dressing: services.configuration.replyDressing)
                text = try await composer.answer(prompt, scenes: scenes)
            } catch {
                services.logger.error("answer failed", metadata: ["emulator.error": "\(error)"])
                throw .internalError
            }
        }
        return CandidateBuilder.build(text: text, prompt: prompt, thinking: thinking, fault: fault, usage: &usage)
    }

    /// The whole generateContent answer for a request already read, without faults or quotas:
    /// what one batch line gets.
    func response(to prompt: PromptRequest, answering: ModelEntry) async throws(GoogleError) -> WireJSON {
        try answering.images.check(global: prompt.mediaResolution)
        let scenes = try await scenes(of: prompt)
        var usage = UsageMetadata.prompt(prompt, scenes: scenes, images: answering.images)
        let thinking = try ThinkingPlan.plan(
            answering.thinking, budget: prompt.thinkingBudget, level: prompt.thinkingLevel, promptTokens: usage.promptTokens)
        let candidate = try await answer(
            prompt, scenes: scenes, answering: answering, thinking: thinking, fault: nil, usage: &usage)
        return Self.body(candidate: candidate, usage: usage, modelVersion: answering.id, responseID: RandomID.responseID())
    }

    /// A generateContent response body: candidates (or promptFeedback), usageMetadata,
    /// modelVersion, responseId.
    static func body(candidate: Candidate, usage: UsageMetadata, modelVersion: String, responseID: String) -> WireJSON {
        var body: [(String, WireJSON)] = []
        if let candidateJSON = candidate.json(textOverride: nil) { body.append(("candidates", .array([candidateJSON]))) }
        if let feedback = candidate.promptFeedback { body.append(("promptFeedback", feedback)) }
        body += [
            ("usageMetadata", usage.json),
            ("modelVersion", .string(modelVersion)),
            ("responseId", .string(responseID)),
        ]
        return .object(body)
    }
}
