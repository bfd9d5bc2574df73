import Foundation
import Logging

/// Watches folders recursively with inotify and reports files once they are complete.
///
/// All inotify work runs on one dedicated thread (blocking in `poll`), never on Swift's
/// cooperative pool; events arrive on ``events``.
///
/// - Sub-folders are watched as soon as they appear, and listed right after, so files created
///   before their watch existed are reported too.
/// - A file is ready after its folder's `settle` time without a write (`IN_MODIFY`,
///   `IN_CLOSE_WRITE`, `IN_MOVED_TO`, `IN_CREATE` each restart it). While a file has been written
///   but not yet closed the quiet time is at least 30 s, so a writer that pauses is not cut short.
/// - Symlinks are never reported and never followed, neither to files nor to directories: a link
///   whose target is inside the tree is reported under the target's own path anyway.
/// - A queue overflow, or a watch that fails, produces ``FileEvent/rescan(folder:reason:)``.
/// - When the kernel's watch limit is reached (`ENOSPC`), a warning naming the sysctl to raise is
///   logged once and that folder falls back to a scan every `pollInterval`.
/// - A folder that does not exist (yet), or that vanishes, is looked for again every `pollInterval`.
public final class FolderWatcher: Sendable {
    /// Every event, in order; finishes after ``stop()``.
    public let events: AsyncStream<FileEvent>
    private let mailbox: Mailbox

    /// Starts watching `specs` on a new thread.
    ///
    /// - Parameters:
    ///   - skip: called with full paths; true leaves the file or directory alone (the daemon's own outputs).
    ///   - pollInterval: period of the fallback scans and of the search for missing folders (default 30 s).
    /// - Throws: ``SystemCallError`` when no inotify instance can be made (`fs.inotify.max_user_instances`).
    public convenience init(
        specs: [WatchSpec], skip: @escaping @Sendable (String) -> Bool, logger: Logger,
        pollInterval: Duration = .seconds(30)
    ) throws {
        try self.init(specs: specs, skip: skip, logger: logger, pollInterval: pollInterval, watchLimit: nil)
    }

    /// `watchLimit` makes `inotify_add_watch` fail with ENOSPC past that many watches (tests only).
    init(
        specs: [WatchSpec], skip: @escaping @Sendable (String) -> Bool, logger: Logger,
        pollInterval: Duration, watchLimit: Int?
    ) throws {
        let inotify = try Inotify()
        let mailbox: Mailbox
        do {
            mailbox = try Mailbox()
        } catch {
            inotify.close()
            throw error
        }
        let (events, continuation) = AsyncStream<FileEvent>.makeStream()
        self.events = events
        self.mailbox = mailbox
        let settings = WatchLoop.Settings(skip: skip, logger: logger, pollInterval: pollInterval, watchLimit: watchLimit)
        let thread = Thread {
            let loop = WatchLoop(inotify: inotify, mailbox: mailbox, continuation: continuation, settings: settings)
            loop.run(initial: specs)
        }
        thread.name = "dropsight.watcher"
        thread.start()
    }

    deinit { mailbox.send(.stop) }

    /// Replaces the watched folders: new ones are watched (and get a `.rescan`), removed ones are dropped.
    ///
    /// A folder whose settings changed keeps its watches; the new settle time and globs apply from now.
    public func update(specs: [WatchSpec]) { mailbox.send(.update(specs)) }

    /// Stops watching, closes the inotify descriptor and finishes ``events``.
    public func stop() { mailbox.send(.stop) }

    /// Behaves as if the kernel reported `IN_Q_OVERFLOW` (test hook; not API).
    public func _injectOverflow() { mailbox.send(.injectOverflow) }

    /// Stops reading inotify events for `duration` so the kernel's queue can overflow for real (test hook; not API).
    public func _pauseReading(for duration: Duration) { mailbox.send(.pauseReading(duration)) }
}
