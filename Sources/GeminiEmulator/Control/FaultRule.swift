/// One rule of a fault script: which requests it catches, how many, and what happens to them.
struct FaultRule: Sendable, Equatable {
    /// The API area a rule applies to.
    enum Route: String, Sendable, CaseIterable {
        case any
        case generateContent
        case streamGenerateContent
        case countTokens
        case upload
        case files
        /// `models/{model}:batchGenerateContent` (batch create).
        case batchGenerateContent
        /// `batches` get, list, cancel and delete.
        case batches
    }

    /// What a caught request gets.
    enum Action: Sendable, Equatable {
        /// An error answer with this HTTP status (429, 500, 503, 504, ...) in Google's envelope.
        case status(Int, message: String?, retryAfterSeconds: Double)
        /// Only the extra latency.
        case delay
        /// The connection closes without an answer; uploads first keep `afterBytes` of the body.
        case drop(afterBytes: Int64?)
        /// A 200 whose candidate stopped at MAX_TOKENS with no parts (thinking ate the budget).
        case maxTokens
        /// A 200 with only `promptFeedback.blockReason: SAFETY`, no candidates.
        case blocked
        /// A 200 whose text is not what was asked for (broken JSON).
        case garbage
        /// A 200 whose candidate finished with SAFETY and no parts.
        case safety
        /// Streaming: the first chunk, then `data: {"error": ...}` with this status after HTTP 200
        /// (a non-streaming request gets the status as a plain error).
        case midStreamError(Int)
        /// A 200 announcing its full Content-Length that sends only the first half of the body,
        /// then closes the connection (a reply cut off in transit).
        case cutOff

        var name: String {
            switch self {
            case .status(let code, _, _): return "status \(code)"
            case .delay: return "delay"
            case .drop: return "drop"
            case .maxTokens: return "maxTokens"
            case .blocked: return "blocked"
            case .garbage: return "garbage"
            case .safety: return "safety"
            case .midStreamError(let code): return "midStreamError \(code)"
            case .cutOff: return "cutOff"
            }
        }
    }

    var route: Route = .any
    var model: String?
    var promptContains: String?
    /// For uploads: the `X-Goog-Upload-Command` to catch (`upload`, `upload, finalize`, `finalize`, `query`).
    var command: String?
    /// Matching requests to let through before the rule starts catching.
    var skip: Int = 0
    /// Matching requests still to catch; nil catches for ever.
    var count: Int? = 1
    /// Chance (0 < p <= 1) that a matching request is caught; a failed roll passes the request
    /// on to the next rules as if this one did not match. Nil: always caught.
    var probability: Double?
    var action: Action
    /// Extra latency before the action, in milliseconds.
    var delayMilliseconds: Int = 0
    /// With a value, the latency is uniform in `delayMilliseconds...delayMaxMilliseconds`.
    var delayMaxMilliseconds: Int?

    func matches(_ request: FaultProbe) -> Bool {
        if route != .any && request.route != route { return false }
        if let model, request.model != model { return false }
        if let promptContains, !(request.promptText ?? "").localizedCaseInsensitiveContains(promptContains) {
            return false
        }
        if let command, request.command?.lowercased() != command.lowercased() { return false }
        return true
    }
}

/// What a fault rule looks at in a request.
struct FaultProbe: Sendable {
    var route: FaultRule.Route
    var model: String?
    var promptText: String?
    var command: String?
}
