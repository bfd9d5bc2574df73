import JSONModel

/// One request of an inline batch: a generateContent body and the metadata returned with its answer.
public struct InlinedBatchRequest: Encodable, Sendable {
    public var request: GenerateContentRequest
    /// Echoed back in ``InlinedBatchResponse/metadata``; `key` maps the answer back.
    public var metadata: [String: String]?

    public init(request: GenerateContentRequest, metadata: [String: String]? = nil) {
        self.request = request
        self.metadata = metadata
    }

    /// A request whose answer carries `{"key": key}`.
    public init(key: String, request: GenerateContentRequest) {
        self.init(request: request, metadata: ["key": key])
    }
}

/// One line of a JSONL batch input file: `{"key": "...", "request": {...}}`.
public struct BatchInputLine: Encodable, Sendable {
    public var key: String
    public var request: GenerateContentRequest

    public init(key: String, request: GenerateContentRequest) {
        self.key = key
        self.request = request
    }
}
