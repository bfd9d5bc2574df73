/// An answer about the account, not about the request that got it: every request of its ``scope`` would
/// get the same until someone changes the key, the project, the billing or the configuration.
///
/// Read from an error by ``GeminiError/accountProblem``.
public struct AccountProblem: Sendable, Hashable {
    public enum Kind: Sendable {
        /// The key is invalid, expired, blocked for this API, or was not sent.
        case keyRefused
        /// The key's project may not use the API (403 not about a file, the API disabled, an unsupported region).
        case permissionDenied
        /// The model is unknown, shut down, or closed to new users (404 NOT_FOUND).
        case modelUnavailable
        /// No billing where it is required, a quota whose limit is 0 (no free tier for the model), or prepaid credits used up.
        case billing
        /// A per-day quota is used up; it resets at midnight Pacific time.
        case dailyQuota
    }

    /// What the problem blocks.
    public enum Scope: Hashable, Sendable {
        /// Every request made with this key.
        case key
        /// Every request to this model (as the request named it).
        case model(String)
    }

    public var kind: Kind
    public var scope: Scope

    /// The held model for a model scope, nil for the key.
    public var model: String? {
        if case .model(let name) = scope { name } else { nil }
    }

    public init(kind: Kind, scope: Scope) {
        self.kind = kind
        self.scope = scope
    }
}
