import Synchronization

/// The API key every request of a client sends, replaceable while requests run (a reload re-reads it).
///
/// Copies of a ``GeminiClient`` share one holder, so a new key reaches all of them at once.
final class APIKeyHolder: Sendable {
    private let value: Mutex<String>

    init(_ key: String) { value = Mutex(key) }

    /// The key in force.
    var key: String { value.withLock { $0 } }

    /// Puts `key` in force for every request sent from now on; true when it differs from the one it replaces.
    func replace(with key: String) -> Bool {
        value.withLock { current in
            defer { current = key }
            return current != key
        }
    }
}
