import DropsightTestSupport
import Foundation
import Logging
import Synchronization

@testable import Watcher

#if canImport(Glibc)
    import Glibc
#endif

/// Writes `bytes` bytes to `path` in one go (open, write, close), as a camera upload or `cp` would.
func write(_ path: String, bytes: Int = 64) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    let data = [UInt8](repeating: 0x42, count: bytes)
    precondition(data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, bytes) } == bytes)
    close(fd)
}

/// Keeps every event of a watcher, with the file's size when the event arrived.
final class EventLog: Sendable {
    struct Entry: Sendable {
        var event: FileEvent
        /// For `.ready`: the file's size as the event arrived.
        var sizeOnArrival: Int64?
    }

    private final class Box: Sendable {
        let entries = Mutex<[Entry]>([])
    }

    private let box = Box()
    private let task: Task<Void, Never>

    init(_ watcher: FolderWatcher) {
        let box = self.box
        task = Task {
            for await event in watcher.events {
                var size: Int64?
                if case .ready(let path, _) = event {
                    size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
                }
                box.entries.withLock { $0.append(Entry(event: event, sizeOnArrival: size)) }
            }
        }
    }

    var all: [Entry] { box.entries.withLock { $0 } }
    var events: [FileEvent] { all.map(\.event) }
    var readyPaths: [String] {
        events.compactMap { if case .ready(let path, _) = $0 { path } else { nil } }
    }
    var rescans: [(folder: String, reason: String)] {
        events.compactMap { if case .rescan(let folder, let reason) = $0 { (folder, reason) } else { nil } }
    }

    /// Waits until `condition` holds, or `limit` passes (then the test's expectations report what is missing).
    @discardableResult
    func wait(upTo limit: Duration = .seconds(20), until condition: ([FileEvent]) -> Bool) async -> Bool {
        await poll(upTo: Double(limit.components.seconds)) { condition(events) }
    }

    /// Waits for the `.rescan` every folder gets once its watches are in place.
    func waitUntilWatching(_ folder: String) async -> Bool {
        await wait { $0.contains(.rescan(folder: folder, reason: "watching started")) }
    }

    func finish() async {
        await task.value
    }
}

/// Starts a watcher on one folder and waits until it watches.
func startWatcher(
    _ folder: String, settle: Duration = .milliseconds(300), ignore: [String] = [],
    skip: @escaping @Sendable (String) -> Bool = { _ in false }, logger: Logger = Logger(label: "test"),
    pollInterval: Duration = .seconds(30), watchLimit: Int? = nil
) async throws -> (FolderWatcher, EventLog) {
    let watcher = try FolderWatcher(
        specs: [WatchSpec(path: folder, settle: settle, ignoreGlobs: ignore)], skip: skip,
        logger: logger, pollInterval: pollInterval, watchLimit: watchLimit)
    let log = EventLog(watcher)
    _ = await log.waitUntilWatching(folder)
    return (watcher, log)
}
