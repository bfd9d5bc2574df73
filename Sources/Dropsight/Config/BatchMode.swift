/// `[api] batch` and `[[folder]] batch`: when requests go through the Gemini Batch API (half the price,
/// answered within 24 hours) instead of one `generateContent` call each.
public enum BatchMode: String, Sendable, Equatable, CaseIterable {
    /// Never: every job is sent interactively.
    case off
    /// A backlog of at least `batch_min_jobs` waiting jobs goes by batch; new drops stay interactive.
    case auto
    /// Every job goes by batch; none is sent interactively.
    case always
}
