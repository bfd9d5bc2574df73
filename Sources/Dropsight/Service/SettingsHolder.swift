import Foundation
import Synchronization

/// The configuration in force, swapped whole on reload; readers always see one consistent version.
public final class SettingsHolder: Sendable {
    private let value: Mutex<Configuration>

    public init(_ configuration: Configuration) { value = Mutex(configuration) }

    public var current: Configuration { value.withLock { $0 } }

    public func replace(with configuration: Configuration) { value.withLock { $0 = configuration } }
}
