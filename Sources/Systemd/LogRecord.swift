import Logging

/// One log event flattened to redacted strings: what both handlers write.
struct LogRecord {
    var level: Logger.Level
    var label: String
    var message: String
    /// Metadata keys and rendered values, sorted by key.
    var metadata: [(key: String, value: String)]
    var file: String
    var function: String
    var line: UInt

    /// Merges handler, provider and call-site metadata (later wins) and redacts message and values.
    init(
        event: LogEvent, label: String, handlerMetadata: Logger.Metadata,
        provider: Logger.MetadataProvider?, secrets: SecretRegistry
    ) {
        var merged = handlerMetadata
        if let provided = provider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        self.level = event.level
        self.label = label
        self.message = secrets.redact(event.message.description)
        self.metadata = merged.keys.sorted().map { key in
            (key: key, value: secrets.redact(Self.render(merged[key]!)))
        }
        self.file = event.file
        self.function = event.function
        self.line = event.line
    }

    /// A metadata value as text: strings as they are, lists as `[a, b]`, dictionaries as `[k: v]`.
    static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(render).joined(separator: ", ") + "]"
        case .dictionary(let values):
            "[" + values.keys.sorted().map { "\($0): \(render(values[$0]!))" }.joined(separator: ", ") + "]"
        }
    }
}
