import Synchronization

/// Removes secrets (the API key) from text before it is logged.
public enum Redaction {
    /// What a secret is replaced with.
    public static let marker = "[REDACTED]"

    /// `text` with every occurrence of each non-empty secret replaced by ``marker``.
    public static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty && result.contains(secret) {
            result = result.replacing(secret, with: marker)
        }
        return result
    }
}

/// The secrets the log handlers strip from every line, shared across threads.
public final class SecretRegistry: Sendable {
    private let secrets = Mutex<[String]>([])

    public init() {}

    /// Adds `secret` (ignored when empty or already known).
    public func register(_ secret: String) {
        guard !secret.isEmpty else { return }
        secrets.withLock { list in
            if !list.contains(secret) { list.append(secret) }
        }
    }

    /// `text` with every registered secret replaced.
    public func redact(_ text: String) -> String {
        Redaction.redact(text, secrets: secrets.withLock { $0 })
    }
}
