import Foundation
import Synchronization

/// The emulator's idea of "now": the real time plus an offset that only moves forward.
///
/// Tests move it with `POST /_emulator/clock` to expire files without waiting 48 hours.
/// With a state directory the offset is kept in `clock.json`, so expired files stay expired
/// across restarts.
final class EmulatorClock: Sendable {
    private let offset: Mutex<TimeInterval>
    private let stateFile: URL?

    init(stateFile: URL?) {
        self.stateFile = stateFile
        var saved: TimeInterval = 0
        if let stateFile, let data = try? Data(contentsOf: stateFile),
            let value = try? WireJSONParser.parse(data)["offsetSeconds"]?.doubleValue
        {
            saved = value
        }
        offset = Mutex(saved)
    }

    var now: Date {
        Date().addingTimeInterval(offset.withLock { $0 })
    }

    var offsetSeconds: TimeInterval {
        offset.withLock { $0 }
    }

    /// Moves the clock forward by `seconds` (negative values are ignored) and returns the new offset.
    @discardableResult
    func advance(by seconds: TimeInterval) -> TimeInterval {
        let newOffset = offset.withLock { value -> TimeInterval in
            value += max(0, seconds)
            return value
        }
        if let stateFile {
            let body = WireJSONWriter.data(.object([("offsetSeconds", .double(newOffset))]))
            try? body.write(to: stateFile, options: .atomic)
        }
        return newOffset
    }
}
