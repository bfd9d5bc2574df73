import Foundation
import HTTPTypes
import Hummingbird

/// `models/{model}:generateContent`, `:streamGenerateContent` and `:countTokens`.
struct GenerateHandler {
    let services: EmulatorServices

    /// Inline requests above this are refused, like the service's 20 MB request limit (raised
    /// to 100 MB in newer documentation).
    static let maxRequestBytes = 100 * 1024 * 1024

    func handle(_ request: Request, model: String, method: String, entry: inout LoggedRequest) async -> HandlerOutcome {
        let started = ContinuousClock.now
        entry.model = model
        let route: FaultRule.Route
        switch method {
        case "generateContent": route = .generateContent
        case "streamGenerateContent": route = .streamGenerateContent
        case "countTokens": route = .countTokens
        default: return .respond(WireResponse.error(.methodNotFound))
        }
        let answering: ModelEntry
        do {
            answering = try services.models.answering(model, method: route == .countTokens ? "countTokens" : "generateContent")
        } catch {
            await request.body.drain()
            return .respond(WireResponse.error(error))
        }
        let prompt: PromptRequest
        do {
            prompt = try await readPrompt(request, model: model, isCount: route == .countTokens, entry: &entry)
            try answering.images.check(global: prompt.mediaResolution)
        } catch {
            return .respond(WireResponse.error(error, startedAt: started))
        }
        entry.partKinds = prompt.partKinds
        entry.promptText = prompt.promptText
        let probe = FaultProbe(route: route, model: model, promptText: prompt.promptText)
        let (faultOutcome, rule) = await FaultApplier(services: services).apply(probe, entry: &entry)
        if let faultOutcome { return faultOutcome }
        let latency = services.latency.nextMilliseconds()
        if latency > 0 {
            try? await Task.sleep(for: .milliseconds(latency))
        }
        let generator = ContentGenerator(services: services)
        let scenes: [SceneAnalysis?]
        do {
            scenes = try await generator.scenes(of: prompt)
        } catch {
            return .respond(WireResponse.error(error, startedAt: started))
        }
        var usage = UsageMetadata.prompt(prompt, scenes: scenes, images: answering.images)
        if route == .countTokens {
            return .respond(
                WireResponse.json(
                    .compactObject([
                        ("totalTokens", .int(Int64(usage.promptTokens))),
                        ("promptTokensDetails", usage.promptByModality.isEmpty ? nil : usage.promptDetails),
                    ]), startedAt: started))
        }
        let thinking: ThinkingPlan
        do {
            thinking = try ThinkingPlan.plan(
                answering.thinking, budget: prompt.thinkingBudget, level: prompt.thinkingLevel,
                promptTokens: usage.promptTokens)
        } catch {
            return .respond(WireResponse.error(error, startedAt: started))
        }
        if let quota = services.quotas.admit(model: model, tokens: usage.promptTokens, now: services.clock.now) {
            entry.fault = "quota \(quota.quota.rawValue)"
            return .respond(WireResponse.error(quota.googleError, startedAt: started))
        }
        var tierHeader = HTTPFields()
        if services.models.year == .y2026 {
            let tier = Self.serviceTier(prompt.serviceTier)
            usage.serviceTier = tier
            tierHeader[Self.serviceTierHeader] = tier
        }
        let candidate: Candidate
        do {
            candidate = try await generator.answer(
                prompt, scenes: scenes, answering: answering, thinking: thinking, fault: rule?.action, usage: &usage)
        } catch {
            return .respond(WireResponse.error(error, startedAt: started))
        }
        let responseID = RandomID.responseID()
        if route == .streamGenerateContent {
            let sse = request.uri.queryParameters["alt"] == "sse"
            var streamError: GoogleError?
            if case .midStreamError(let code)? = rule?.action {
                streamError = .forStatus(code, message: nil, model: model, retryAfterSeconds: 26)
            }
            entry.responseID = responseID
            return .respond(
                StreamWriter.response(
                    candidate: candidate, usage: usage, model: answering.id, responseID: responseID,
                    sse: sse, failure: streamError, started: started, extra: tierHeader))
        }
        entry.responseID = responseID
        let body = ContentGenerator.body(candidate: candidate, usage: usage, modelVersion: answering.id, responseID: responseID)
        return .respond(WireResponse.json(body, extra: tierHeader, startedAt: started))
    }

    /// Catalogue 2026 answers carry it beside `usageMetadata.serviceTier` (gemini-api-2026.md §7).
    static let serviceTierHeader = HTTPField.Name("x-gemini-service-tier")!

    /// The tier a request is served at: the one it asked for, else `standard`, the only value
    /// captured (asking for `flex` or `priority` is echoed back, unverified).
    static func serviceTier(_ asked: String?) -> String {
        guard let asked = asked?.lowercased(), ["flex", "standard", "priority"].contains(asked) else { return "standard" }
        return asked
    }

    private func readPrompt(
        _ request: Request, model: String, isCount: Bool, entry: inout LoggedRequest
    ) async throws(GoogleError) -> PromptRequest {
        let parsed = try await request.wireJSON(upTo: Self.maxRequestBytes, entry: &entry)
        let normalized = try ContentGenerator.normalize(parsed, isCount: isCount)
        entry.mediaSHA256 = await MediaDigests.of(normalized, files: services.files)
        return try await PromptRequest.read(normalized, model: model, files: services.files)
    }
}
