/// SplitMix64: a tiny generator whose whole state is one 64-bit number, so a seed replays a run.
///
/// Fault-script rolls and latency jitter draw from it; the same seed and the same request order
/// give the same choices.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// True with probability `probability` (0...1), from the top 53 bits of one draw.
    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1.0p-53 < probability
    }

    /// A whole number uniform in `range`.
    mutating func uniform(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }
}
