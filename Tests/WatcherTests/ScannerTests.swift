import DropsightTestSupport
import Foundation
import Testing

@testable import Watcher

@Suite struct ScannerTests {
    @Test func findsNestedFilesWithSizeAndMtime() throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        _ = try dir.make("a/b/c")
        _ = try dir.make(".hidden")
        write(dir.path + "/top.jpg", bytes: 1)
        write(dir.path + "/a/mid.jpg", bytes: 20)
        write(dir.path + "/a/b/c/deep.jpg", bytes: 300)
        write(dir.path + "/.hidden/no.jpg")
        write(dir.path + "/a/skip.part")
        write(dir.path + "/a/out.jpg.dropsight.json")
        let mtime = timespec(tv_sec: 1_700_000_000, tv_nsec: 123_456_789)
        var times = [mtime, mtime]
        #expect(utimensat(AT_FDCWD, dir.path + "/a/mid.jpg", &times, 0) == 0)

        let files = try FolderScanner.scan(folder: dir.path + "/", skip: { $0.hasSuffix(".dropsight.json") })
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0) })
        #expect(Set(byPath.keys) == [dir.path + "/top.jpg", dir.path + "/a/mid.jpg", dir.path + "/a/b/c/deep.jpg"])
        #expect(byPath[dir.path + "/a/b/c/deep.jpg"]?.size == 300)
        #expect(byPath[dir.path + "/a/mid.jpg"]?.mtimeNs == 1_700_000_000_123_456_789)
    }

    @Test func theAsyncScanFindsWhatTheScanFinds() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        _ = try dir.make("x/y")
        write(dir.path + "/x/y/a.jpg", bytes: 5)
        write(dir.path + "/x/b.jpg", bytes: 6)
        let result = try await FolderScanner.files(in: dir.path)
        #expect(Set(result.files) == Set(try FolderScanner.scan(folder: dir.path)))
        #expect(Set(result.files.map(\.size)) == [5, 6])
        #expect(result.unreadable.isEmpty)
    }

    @Test(.enabled(if: geteuid() != 0, "root reads every directory"))
    func anUnreadableSubfolderIsReportedAndLeftOut() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        let locked = try dir.make("locked")
        write(locked + "/behind-permissions.jpg")
        write(dir.path + "/visible.jpg", bytes: 5)
        #expect(chmod(locked, 0) == 0)
        defer { chmod(locked, 0o755) }
        let result = try await FolderScanner.files(in: dir.path)
        #expect(result.files.map(\.path) == [dir.path + "/visible.jpg"])
        #expect(result.unreadable.map(\.path) == [locked])
    }

    @Test func aMissingFolderIsAnErrorNamingIt() {
        let missing = "/nonexistent-dropsight-\(UUID().uuidString)"
        #expect {
            try FolderScanner.scan(folder: missing)
        } throws: { error in
            let error = error as? SystemCallError
            return error?.path == missing && error?.errno.rawValue == ENOENT
        }
    }

    @Test func scanningTenThousandFiles() throws {
        let dir = try TemporaryFolder(prefix: "dropsight-watch")
        defer { dir.cleanup() }
        for folder in 0..<20 {
            let sub = try dir.make("d\(folder)")
            for index in 0..<500 { write(sub + "/\(index).jpg", bytes: 1) }
        }
        let clock = ContinuousClock()
        var files: [ScannedFile] = []
        let elapsed = try clock.measure { files = try FolderScanner.scan(folder: dir.path) }
        print("FolderScanner.scan of \(files.count) files: \(elapsed)")
        #expect(files.count == 10_000)
    }
}
