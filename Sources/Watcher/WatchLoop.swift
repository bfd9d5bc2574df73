import FileAccess
import Foundation
import Logging
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// The watch thread's state and loop; created on, and used only by, that thread.
final class WatchLoop {
    /// What the loop needs from its creator, all Sendable so it can cross to the thread.
    struct Settings: Sendable {
        var skip: @Sendable (String) -> Bool
        var logger: Logger
        var pollInterval: Duration
        var watchLimit: Int?
    }

    enum Mode {
        case watched
        /// Scanned every poll interval; the last scan's accepted files.
        case polled([String: FileStamp])
        /// Not there (or not listable): looked for every poll interval.
        case missing
    }

    struct FileStamp: Equatable {
        var size: Int64
        var mtimeNs: Int64
    }

    struct Root {
        var spec: WatchSpec
        var filter: NameFilter
        var mode: Mode
        var warnedMissing = false
    }

    struct WatchedDirectory {
        var path: String
        var root: String
    }

    struct PendingFile {
        var root: String
        var deadline: ContinuousClock.Instant
        /// Written (IN_MODIFY) and not closed since.
        var writing: Bool
    }

    /// Directory watch mask: file events, sub-directory events, and the directory itself going away.
    static let mask = UInt32(
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
    /// The least quiet time for a file written but not yet closed.
    static let stillOpenQuiet: Duration = .seconds(30)

    let inotify: Inotify
    let mailbox: Mailbox
    let continuation: AsyncStream<FileEvent>.Continuation
    let settings: Settings
    let clock = ContinuousClock()
    var logger: Logger { settings.logger }

    var roots: [String: Root] = [:]
    var watches: [Int32: WatchedDirectory] = [:]
    var watchByPath: [String: Int32] = [:]
    var pending: [String: PendingFile] = [:]
    var warnedAboutWatchLimit = false
    var nextPoll: ContinuousClock.Instant
    /// Set by the `_pauseReading` test hook: inotify is not read before then.
    var readingPausedUntil: ContinuousClock.Instant?

    init(inotify: Inotify, mailbox: Mailbox, continuation: AsyncStream<FileEvent>.Continuation, settings: Settings) {
        self.inotify = inotify
        self.mailbox = mailbox
        self.continuation = continuation
        self.settings = settings
        nextPoll = ContinuousClock.now.advanced(by: settings.pollInterval)
    }

    /// Watches `initial`, then serves inotify events, timers and commands until `.stop`.
    func run(initial: [WatchSpec]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 8)
        defer {
            buffer.deallocate()
            inotify.close()
            mailbox.close()
            continuation.finish()
        }
        apply(initial)
        while true {
            for command in mailbox.receive() {
                switch command {
                case .stop: return
                case .update(let specs): apply(specs)
                case .injectOverflow: overflow(reason: "inotify event queue overflowed (injected)")
                case .pauseReading(let duration): readingPausedUntil = clock.now.advanced(by: duration)
                }
            }
            if let until = readingPausedUntil, clock.now >= until { readingPausedUntil = nil }
            let reading = readingPausedUntil == nil
            let ready: [Int16]
            do {
                ready = try Self.waitForInput(
                    reading ? [mailbox.wakeRead, inotify.descriptor] : [mailbox.wakeRead],
                    timeoutMs: timeoutMs())
            } catch {
                logger.critical("watcher stopped: \(error)")
                return
            }
            if reading, ready[1] != 0 { readEvents(buffer) }
            firePending()
            if needsPolling, clock.now >= nextPoll {
                poll()
                nextPoll = clock.now.advanced(by: settings.pollInterval)
            }
        }
    }

    func emit(_ event: FileEvent) {
        logger.debug("watcher event", metadata: ["dropsight.event": "\(event)"])
        continuation.yield(event)
    }

    private var needsPolling: Bool {
        roots.values.contains { if case .watched = $0.mode { false } else { true } }
    }

    /// Milliseconds until the next settle deadline or poll, -1 when there is nothing to wait for.
    private func timeoutMs() -> Int32 {
        var next = pending.values.lazy.map(\.deadline).min()
        if needsPolling { next = min(next ?? nextPoll, nextPoll) }
        if let until = readingPausedUntil { next = min(next ?? until, until) }
        guard let next else { return -1 }
        let wait = clock.now.duration(to: next)
        if wait <= .zero { return 0 }
        let (seconds, attoseconds) = wait.components
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    /// `poll` for input on `descriptors`; `timeoutMs` -1 waits forever. Returns each descriptor's `revents`.
    private static func waitForInput(_ descriptors: [FileDescriptor], timeoutMs: Int32) throws(SystemCallError) -> [Int16] {
        var entries = descriptors.map { pollfd(fd: $0.rawValue, events: Int16(POLLIN), revents: 0) }
        _ = try SystemCallError.retrying("poll") { Glibc.poll(&entries, nfds_t(entries.count), timeoutMs) }
        return entries.map(\.revents)
    }

    private func readEvents(_ buffer: UnsafeMutableRawBufferPointer) {
        while true {
            let count: Int
            do {
                count = try inotify.read(into: buffer)
            } catch {
                logger.error("reading inotify events failed: \(error)")
                overflow(reason: "reading inotify events failed: \(error)")
                return
            }
            if count == 0 { return }
            for event in InotifyEvent.decode(UnsafeRawBufferPointer(rebasing: buffer[..<count])) {
                handle(event)
            }
        }
    }

    /// Reports every pending file whose quiet time has passed and that is still a regular file.
    private func firePending() {
        let now = clock.now
        let due = pending.filter { $0.value.deadline <= now }.sorted { $0.value.deadline < $1.value.deadline }
        for (path, file) in due {
            pending[path] = nil
            let stat = PathBytes.withCString(path) { pointer in
                Result { () throws(Errno) -> Stat in try Stat(pointer, followTargetSymlink: false) }
            }
            guard let info = try? stat.get(), info.type == .regular else { continue }
            emit(.ready(path: path, folder: file.root))
        }
    }
}
