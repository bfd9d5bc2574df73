import Synchronization

/// Counts finished pieces of work; the watchdog pings only while it moves (or nothing is waiting).
public final class ProgressCounter: Sendable {
    private let count = Atomic<Int>(0)
    public init() {}
    public func bump() { count.add(1, ordering: .relaxed) }
    public var value: Int { count.load(ordering: .relaxed) }
}
