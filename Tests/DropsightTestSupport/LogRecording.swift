import InMemoryLogging
import Logging

extension InMemoryLogHandler {
    /// A handler that keeps every message at `level` and above.
    public init(level: Logger.Level) {
        self.init()
        logLevel = level
    }

    /// A logger whose messages this handler keeps (the handler's level is the logger's).
    public func logger(label: String = "test") -> Logger {
        Logger(label: label) { _ in self }
    }

    /// The messages kept so far, without level or metadata.
    public var messages: [String] {
        entries.map { "\($0.message)" }
    }

    /// The entries kept so far as `<level> <message>` lines (e.g. `warning cannot watch ...`).
    public var lines: [String] {
        entries.map { "\($0.level) \($0.message)" }
    }

    /// Whether a line (see ``lines``) contains `text`.
    public func contains(_ text: String) -> Bool {
        lines.contains { $0.contains(text) }
    }
}
