/// Whether a model id answers, and as which model.
enum ModelStatus: Sendable, Equatable {
    /// Served under its own id.
    case available
    /// Deprecated and routed: the target answers, with the target's rules and `modelVersion`.
    case routed(to: String)
    /// A `-latest` alias: the target answers, like a routed id.
    case alias(of: String)
    /// 404 NOT_FOUND "... no longer available to new users. ..." (the LEGACY stage).
    case closedToNewUsers
    /// 404 NOT_FOUND "... is no longer available. ...".
    case shutDown
}
