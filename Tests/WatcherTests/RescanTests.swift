import DropsightTestSupport
import Foundation
import InMemoryLogging
import Logging
import Testing

@testable import Watcher

@Suite(.serialized) struct RescanTests {
    @Test func anOverflowLeadsToARescanAndWatchingGoesOn() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let (watcher, log) = try await startWatcher(dir.path)
        watcher._injectOverflow()
        #expect(await log.wait { _ in log.rescans.contains { $0.folder == dir.path && $0.reason.contains("overflow") } })
        write(dir.path + "/after.jpg")
        #expect(await log.wait { _ in log.readyPaths == [dir.path + "/after.jpg"] })
        watcher.stop()
        await log.finish()
    }

    @Test func aRealQueueOverflowLeadsToARescanThatFindsEveryFile() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let limit =
            (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 16_384
        let (watcher, log) = try await startWatcher(dir.path, settle: .milliseconds(200))
        watcher._pauseReading(for: .seconds(3600))
        try await Task.sleep(for: .milliseconds(100))
        // Each file costs three events (create, modify, close): this is more than the queue holds.
        let count = limit / 3 + 500
        var expected: Set<String> = []
        for index in 0..<count {
            let path = dir.path + "/f\(index).jpg"
            write(path)
            expected.insert(path)
        }
        // A sub-folder made while reading is paused is not watched yet: its file gives no event at all.
        _ = try dir.make("sub")
        write(dir.path + "/sub/unseen.jpg")
        expected.insert(dir.path + "/sub/unseen.jpg")
        watcher._pauseReading(for: .zero)
        #expect(
            await log.wait { _ in
                log.rescans.contains { $0.folder == dir.path && $0.reason == "inotify event queue overflowed" }
            })
        // What a daemon does on that rescan: list the folder. Nothing is lost.
        let scanned = Set(try FolderScanner.scan(folder: dir.path).map(\.path))
        #expect(scanned.union(log.readyPaths) == expected)
        // The sub-folder made while events were lost is watched after the overflow.
        write(dir.path + "/sub/after.jpg")
        #expect(await log.wait { _ in log.readyPaths.contains(dir.path + "/sub/after.jpg") })
        watcher.stop()
        await log.finish()
    }

    @Test func atTheWatchLimitTheFolderIsScannedPeriodically() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let recorder = InMemoryLogHandler(level: .trace)
        // Each of "big" and "huge" needs 4 watches, over the limit of 3: both fall back to scans,
        // which frees their watches for "small".
        let big = try dir.make("big")
        let huge = try dir.make("huge")
        for sub in ["a", "b", "c"] {
            _ = try dir.make("big/\(sub)")
            _ = try dir.make("huge/\(sub)")
        }
        let small = try dir.make("small")
        let watcher = try FolderWatcher(
            specs: [big, huge, small].map { WatchSpec(path: $0, settle: .milliseconds(200)) },
            skip: { _ in false }, logger: recorder.logger(),
            pollInterval: .milliseconds(400), watchLimit: 3)
        let log = EventLog(watcher)
        #expect(
            await log.wait { _ in
                log.rescans.contains { $0.folder == big && $0.reason.contains("watch limit") }
                    && log.rescans.contains { $0.folder == huge && $0.reason.contains("watch limit") }
                    && log.rescans.contains { $0.folder == small && $0.reason == "watching started" }
            })
        write(big + "/b/new.jpg")
        write(huge + "/c/d.jpg")
        write(small + "/other.jpg")
        let expected: Set = [big + "/b/new.jpg", huge + "/c/d.jpg", small + "/other.jpg"]
        #expect(await log.wait { _ in Set(log.readyPaths) == expected })
        try await Task.sleep(for: .seconds(1))
        #expect(log.readyPaths.count == 3, "a scanned file is reported once, not at every scan")
        try FileManager.default.removeItem(atPath: big + "/b/new.jpg")
        #expect(await log.wait { events in events.contains(.removed(path: big + "/b/new.jpg", folder: big)) })

        let warnings = recorder.entries.filter { "\($0.message)".contains("sysctl fs.inotify.max_user_watches=524288") }
        #expect(warnings.count == 1, "the limit is explained once")
        #expect(warnings.first?.level == .warning)
        watcher.stop()
        await log.finish()
    }

    @Test func foldersAddedLaterAreWatchedAndRemovedOnesAreNot() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let first = try dir.make("first")
        let second = try dir.make("second")
        let (watcher, log) = try await startWatcher(first)
        watcher.update(specs: [WatchSpec(path: second, settle: .milliseconds(200))])
        #expect(await log.waitUntilWatching(second))
        write(first + "/ignored-now.jpg")
        write(second + "/seen.jpg")
        #expect(await log.wait { _ in log.readyPaths.contains(second + "/seen.jpg") })
        try await Task.sleep(for: .seconds(1))
        #expect(log.readyPaths == [second + "/seen.jpg"])
        watcher.stop()
        await log.finish()
    }

    @Test func aFolderThatAppearsLaterIsPickedUp() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let later = dir.path + "/later"
        let recorder = InMemoryLogHandler(level: .trace)
        let watcher = try FolderWatcher(
            specs: [WatchSpec(path: later, settle: .milliseconds(200))], skip: { _ in false },
            logger: recorder.logger(), pollInterval: .milliseconds(300))
        let log = EventLog(watcher)
        #expect(
            await log.wait { _ in
                recorder.messages.contains { $0.contains("cannot be watched yet") }
            })
        _ = try dir.make("later")
        #expect(await log.wait { _ in log.rescans.contains { $0.folder == later && $0.reason == "folder appeared" } })
        write(later + "/x.jpg")
        #expect(await log.wait { _ in log.readyPaths == [later + "/x.jpg"] })
        watcher.stop()
        await log.finish()
    }
}
