/// The first (and only) candidate of an answer, shaped as real models shape it.
struct Candidate: Sendable {
    var thoughtText: String?
    /// Answer text; nil when the candidate has no parts (MAX_TOKENS after thinking, SAFETY).
    var text: String?
    var finishReason: String?
    var safetyRatings: WireJSON?
    /// Set instead of a candidate when the prompt was blocked.
    var promptFeedback: WireJSON?

    /// `{"content": {...}, "finishReason": ..., "index": 0}`, or nil for a blocked prompt.
    func json(textOverride: String?, includeFinish: Bool = true) -> WireJSON? {
        guard promptFeedback == nil else { return nil }
        var parts: [WireJSON] = []
        if let thoughtText { parts.append(.object([("text", .string(thoughtText)), ("thought", .bool(true))])) }
        if let answer = textOverride ?? text { parts.append(.object([("text", .string(answer))])) }
        var content: [(String, WireJSON)] = []
        if !parts.isEmpty { content.append(("parts", .array(parts))) }
        content.append(("role", .string("model")))
        return .compactObject([
            ("content", .object(content)),
            ("finishReason", includeFinish ? finishReason.map(WireJSON.string) : nil),
            ("index", .int(0)),
            ("safetyRatings", includeFinish ? safetyRatings : nil),
        ])
    }
}

/// Applies token limits, thinking and reply faults to an answer text.
enum CandidateBuilder {
    static let garbageText = "I'm sorry, I can't provide that in the requested format.\n```json\n[{\"box_2d\": [12, 5"

    static func build(
        text: String, prompt: PromptRequest, thinking: ThinkingPlan, fault: FaultRule.Action?, usage: inout UsageMetadata
    ) -> Candidate {
        switch fault {
        case .blocked?:
            return Candidate(
                promptFeedback: .object([
                    ("blockReason", .string("SAFETY")),
                    ("safetyRatings", safetyRatings(blocked: false)),
                ]))
        case .safety?:
            usage.thoughts = thinking.thoughtTokens
            return Candidate(finishReason: "SAFETY", safetyRatings: safetyRatings(blocked: true))
        case .maxTokens?:
            usage.thoughts = max(1, prompt.maxOutputTokens ?? max(thinking.thoughtTokens, 19))
            return Candidate(finishReason: "MAX_TOKENS")
        default:
            break
        }
        var answer = fault == .garbage ? garbageText : text
        let thoughts = thinking.thoughtTokens
        var finish = "STOP"
        if let limit = prompt.maxOutputTokens, limit > 0 {
            if thoughts >= limit {
                usage.thoughts = limit
                return Candidate(finishReason: "MAX_TOKENS")
            }
            let room = limit - thoughts
            if TokenCounter.text(answer) > room {
                answer = String(answer.prefix(room * 4))
                finish = "MAX_TOKENS"
            }
        }
        usage.thoughts = thoughts
        usage.candidates = TokenCounter.text(answer)
        let thought =
            prompt.includeThoughts && thoughts > 0
            ? "**Looking at the request**\n\nI'm working out what the prompt asks for and checking the picture before answering.\n"
            : nil
        return Candidate(thoughtText: thought, text: answer, finishReason: finish)
    }

    private static func safetyRatings(blocked: Bool) -> WireJSON {
        .array(
            [
                ("HARM_CATEGORY_SEXUALLY_EXPLICIT", "NEGLIGIBLE", false),
                ("HARM_CATEGORY_HATE_SPEECH", "NEGLIGIBLE", false),
                ("HARM_CATEGORY_HARASSMENT", "MEDIUM", blocked),
                ("HARM_CATEGORY_DANGEROUS_CONTENT", "NEGLIGIBLE", false),
            ].map { category, probability, isBlocked in
                .compactObject([
                    ("category", .string(category)),
                    ("probability", .string(probability)),
                    ("blocked", isBlocked ? .bool(true) : nil),
                ])
            })
    }
}
