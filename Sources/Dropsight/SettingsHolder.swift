import Foundation
import Synchronization

/// The configuration in force, swapped whole on reload; readers always see one consistent version.
public final class SettingsHolder: Sendable {
    private let value: Mutex<Configuration>

    public init(_ configuration: Configuration) { value = Mutex(configuration) }

    public var current: Configuration { value.withLock { $0 } }

    public func replace(with configuration: Configuration) { value.withLock { $0 = configuration } }
}

/// Counts finished pieces of work; the watchdog pings only while it moves (or nothing is waiting).
public final class ProgressCounter: Sendable {
    private let count = Atomic<Int>(0)
    public init() {}
    public func bump() { count.add(1, ordering: .relaxed) }
    public var value: Int { count.load(ordering: .relaxed) }
}
