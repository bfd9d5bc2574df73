import DropsightTestSupport
import Foundation
import Testing

@testable import Watcher

@Suite(.serialized) struct FilterTests {
    @Test func temporaryIgnoredAndSkippedNamesAreNotReported() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let (watcher, log) = try await startWatcher(
            dir.path, ignore: ["*.xmp", "raw/*"],
            skip: { $0.hasSuffix(".dropsight.json") })
        _ = try dir.make("raw")
        _ = try dir.make(".cache")
        for name in [
            ".hidden.jpg", "a.tmp", "b.part", "c.crdownload", "d.JPG.TMP", "~e.jpg", "f.jpg.dropsight.json",
            "g.xmp", "raw/h.jpg", ".cache/i.jpg",
        ] {
            write(dir.path + "/" + name)
        }
        write(dir.path + "/ok.jpg")
        // A temporary name renamed to its final name is reported under the final name.
        write(dir.path + "/.partial-upload")
        #expect(rename(dir.path + "/.partial-upload", dir.path + "/renamed.jpg") == 0)
        #expect(await log.wait { _ in log.readyPaths.count >= 2 })
        try await Task.sleep(for: .seconds(1))
        #expect(log.readyPaths.sorted() == [dir.path + "/ok.jpg", dir.path + "/renamed.jpg"])
        watcher.stop()
        await log.finish()
    }

    @Test func symlinksAreNeverFollowedOutOfTheFolder() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let folder = try dir.make("watched")
        let outside = try dir.make("outside")
        write(outside + "/secret.jpg")
        let (watcher, log) = try await startWatcher(folder)
        try FileManager.default.createSymbolicLink(atPath: folder + "/linked-dir", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: folder + "/linked.jpg", withDestinationPath: outside + "/secret.jpg")
        write(outside + "/new-outside.jpg")
        write(folder + "/inside.jpg")
        #expect(await log.wait { _ in log.readyPaths.contains(folder + "/inside.jpg") })
        try await Task.sleep(for: .seconds(1))
        #expect(log.readyPaths == [folder + "/inside.jpg"])

        let scanned = try FolderScanner.scan(folder: folder)
        #expect(scanned.map(\.path) == [folder + "/inside.jpg"])
        watcher.stop()
        await log.finish()
    }
}
