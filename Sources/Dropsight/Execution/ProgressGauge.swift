import Synchronization

/// A count that goes up and down (requests in flight).
final class ProgressGauge: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ n: Int) { count.add(n, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
