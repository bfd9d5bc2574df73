/// When a held scope is checked again: a minute after the hold, then twice as long after each check that finds
/// the problem still there, at most every half hour.
enum ProbeSchedule {
    static let first: Duration = .seconds(60)
    static let longest: Duration = .seconds(30 * 60)

    /// The wait before the next check after `failed` checks that found the problem still there.
    static func delay(afterFailedChecks failed: Int) -> Duration {
        // 2^5 minutes is past the cap already; stopping there also keeps the shift small.
        min(first * (1 << min(max(failed, 0), 5)), longest)
    }
}
