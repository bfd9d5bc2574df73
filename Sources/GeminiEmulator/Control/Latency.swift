import Synchronization

/// The extra wait before every generateContent, streamGenerateContent and countTokens answer:
/// uniform in `minimum...maximum` milliseconds, drawn from a seeded generator.
final class Latency: Sendable {
    let minimum: Int
    let maximum: Int
    private let random: Mutex<SplitMix64>

    /// `maximum` nil means a fixed `minimum`.
    init(minimum: Int, maximum: Int?, seed: UInt64) {
        self.minimum = minimum
        self.maximum = max(minimum, maximum ?? minimum)
        random = Mutex(SplitMix64(seed: seed))
    }

    /// The wait for the next answer, in milliseconds.
    func nextMilliseconds() -> Int {
        guard maximum > minimum else { return minimum }
        return random.withLock { $0.uniform(minimum...maximum) }
    }
}
