import Foundation

/// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held (a throw counts as not yet).
///
/// A busy machine stretches the wait: it also lasts until the condition was looked at `seconds × 5` times (a
/// quarter of the looks an idle machine makes), up to 5 × `seconds` in all. On 2 cores a full parallel test run
/// can keep a test's task off the CPU for tens of seconds, and that is not what any test is about; a condition
/// that never holds still fails.
public func poll(upTo seconds: Double, _ condition: () async throws -> Bool) async -> Bool {
    let start = Date()
    let looks = Int(seconds * 5)
    var looked = 0
    while Date().timeIntervalSince(start) < seconds || (looked < looks && Date().timeIntervalSince(start) < 5 * seconds) {
        if (try? await condition()) == true { return true }
        looked += 1
        try? await Task.sleep(for: .milliseconds(50))
    }
    return (try? await condition()) == true
}
