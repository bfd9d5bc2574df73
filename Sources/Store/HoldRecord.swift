import Foundation

/// An account-level hold as the daemon mirrors it into the Store, for `dropsight status`.
public struct HoldRecord: Sendable, Hashable, Codable {
    /// The held model, or nil when the key itself is held (every request).
    public var model: String?
    /// What is wrong and how to fix it, as the status line says it.
    public var reason: String
    public var since: Date
    /// When the daemon checks again whether the problem is gone.
    public var nextCheck: Date

    public init(model: String?, reason: String, since: Date, nextCheck: Date) {
        self.model = model
        self.reason = reason
        self.since = since
        self.nextCheck = nextCheck
    }
}
