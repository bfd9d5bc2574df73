import DropsightTestSupport
import Foundation
import Testing

@testable import Watcher

@Suite(.serialized) struct SettleTests {
    @Test func aCopiedFileIsReportedOnceAfterSettling() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let (watcher, log) = try await startWatcher(dir.path)
        let source = try dir.make("outside-source")  // a sub-folder: its own file is reported too
        write(source + "/original.jpg", bytes: 10_000)
        try FileManager.default.copyItem(atPath: source + "/original.jpg", toPath: dir.path + "/copy.jpg")
        #expect(await log.wait { events in events.contains(.ready(path: dir.path + "/copy.jpg", folder: dir.path)) })
        try await Task.sleep(for: .seconds(1))
        #expect(log.readyPaths.sorted() == [dir.path + "/copy.jpg", source + "/original.jpg"])
        #expect(log.all.first { $0.event == .ready(path: dir.path + "/copy.jpg", folder: dir.path) }?.sizeOnArrival == 10_000)
        watcher.stop()
        await log.finish()
    }

    @Test func aSlowlyWrittenFileIsReportedOnceWhenComplete() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        // A settle time well above the 300 ms write interval, so a loaded machine's scheduling delays
        // cannot make a pause between chunks look like a finished file.
        let (watcher, log) = try await startWatcher(dir.path, settle: .milliseconds(2000))
        let chunk = Data(repeating: 7, count: 4096)

        // One writer keeps the file open, another reopens it for every chunk; both write every 300 ms for 3 s.
        let heldOpen = dir.path + "/held-open.jpg"
        let reopened = dir.path + "/reopened.jpg"
        write(heldOpen, bytes: 0)
        write(reopened, bytes: 0)
        // The writers run on their own thread with plain sleeps, so their pace does not depend on
        // Swift's cooperative pool, which other tests running in parallel may keep busy.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread {
                continuation.resume(
                    with: Result {
                        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: heldOpen))
                        for _ in 0..<10 {
                            handle.write(chunk)
                            let appender = try FileHandle(forWritingTo: URL(fileURLWithPath: reopened))
                            appender.seekToEndOfFile()
                            appender.write(chunk)
                            try appender.close()
                            usleep(300_000)
                        }
                        // A pause longer than the settle time while the file is still open does not end it early.
                        usleep(2_500_000)
                        handle.write(chunk)
                        try handle.close()
                    })
            }.start()
        }

        #expect(
            await log.wait { events in
                events.contains(.ready(path: heldOpen, folder: dir.path)) && events.contains(.ready(path: reopened, folder: dir.path))
            })
        try await Task.sleep(for: .milliseconds(2500))
        #expect(log.readyPaths.sorted() == [heldOpen, reopened])
        let sizes = Dictionary(
            log.all.compactMap { entry -> (String, Int64?)? in
                if case .ready(let path, _) = entry.event { (path, entry.sizeOnArrival) } else { nil }
            }, uniquingKeysWith: { first, _ in first })
        #expect(sizes[heldOpen] == Int64(11 * 4096), "reported only once complete")
        #expect(sizes[reopened] == Int64(10 * 4096), "reported only once complete")
        watcher.stop()
        await log.finish()
    }

    @Test func twoThousandFilesDroppedAtOnceAreEachReportedOnce() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let folder = try dir.make("drop")
        let outside = try dir.make("staging")  // same file system, not watched
        let (watcher, log) = try await startWatcher(folder)
        var expected: Set<String> = []
        for index in 0..<1000 {
            let staged = outside + "/moved\(index).jpg"
            write(staged)
            let target = folder + "/moved\(index).jpg"
            #expect(rename(staged, target) == 0)
            expected.insert(target)
        }
        for index in 0..<1000 {
            let path = folder + "/written\(index).jpg"
            write(path)
            expected.insert(path)
        }
        #expect(await log.wait(upTo: .seconds(60)) { _ in log.readyPaths.count >= 2000 })
        try await Task.sleep(for: .seconds(1))
        let reported = log.readyPaths
        #expect(reported.count == 2000)
        #expect(Set(reported) == expected)
        #expect(log.rescans.map(\.reason) == ["watching started"], "no overflow, nothing to rescan")
        watcher.stop()
        await log.finish()
    }

    @Test func filesInANewSubfolderAreAllReported() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let (watcher, log) = try await startWatcher(dir.path)
        var expected: Set<String> = []
        let deep = try dir.make("new/deeper/deepest")
        for name in ["new", "new/deeper", "new/deeper/deepest"] {
            for index in 0..<30 {
                let path = dir.path + "/\(name)/f\(index).jpg"
                write(path)
                expected.insert(path)
            }
        }
        #expect(await log.wait { _ in Set(log.readyPaths) == expected })
        try await Task.sleep(for: .seconds(1))
        #expect(log.readyPaths.count == expected.count, "each file once")

        // The new folders are watched: a later file deep inside is reported too.
        write(deep + "/later.jpg")
        #expect(await log.wait { _ in log.readyPaths.contains(deep + "/later.jpg") })
        watcher.stop()
        await log.finish()
    }

    @Test func deletedAndMovedAwayFilesAreReportedRemoved() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let folder = try dir.make("watched")
        let (watcher, log) = try await startWatcher(folder)
        write(folder + "/a.jpg")
        write(folder + "/b.jpg")
        _ = try dir.make("watched/sub")
        write(folder + "/sub/c.jpg")
        #expect(await log.wait { _ in log.readyPaths.count == 3 })
        try FileManager.default.removeItem(atPath: folder + "/a.jpg")
        #expect(rename(folder + "/b.jpg", dir.path + "/b.jpg") == 0)
        #expect(rename(folder + "/sub", dir.path + "/sub") == 0)
        #expect(
            await log.wait { events in
                events.contains(.removed(path: folder + "/a.jpg", folder: folder))
                    && events.contains(.removed(path: folder + "/b.jpg", folder: folder))
                    && events.contains(.removed(path: folder + "/sub", folder: folder))
            })
        // The moved-away folder is no longer watched.
        write(dir.path + "/sub/after.jpg")
        try await Task.sleep(for: .seconds(1))
        #expect(!log.readyPaths.contains { $0.hasSuffix("after.jpg") })
        watcher.stop()
        await log.finish()
    }
}
