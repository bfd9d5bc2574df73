import Foundation
import Store
import Testing

@testable import Dropsight

extension DurabilityTests {
    @Suite struct Outputs {
        /// A read-only library with `output_dir`: every sidecar lands in the mirror, at the image's relative
        /// path, and the library is left untouched.
        @Test func aReadOnlyLibraryGetsItsSidecarsInTheMirror() async throws {
            let h = try await Harness()
            let library = try h.folder("library")
            let mirror = h.root + "/mirror"
            try FileManager.default.createDirectory(atPath: library + "/2024/summer", withIntermediateDirectories: true)
            let images = [library + "/top.jpg", library + "/2024/summer/beach.jpg"]
            for path in images { try writeInPlace(try Harness.jpeg(), to: path) }
            let readOnly = try ReadOnlyFolder(library)
            defer { readOnly.release() }
            try h.writeConfig(
                folders: [.init(path: library, prompts: ["caption"], extra: "output_dir = \"\(mirror)\"")],
                prompts: Harness.captionPrompt)
            let daemon = try await RunningDaemon.start(h)
            let sidecars = [mirror + "/top.jpg.dropsight.json", mirror + "/2024/summer/beach.jpg.dropsight.json"]
            let written = await eventually(60) { sidecars.allSatisfy { h.sidecar(at: $0) != nil } }
            await daemon.stop()
            #expect(written)
            for path in sidecars { #expect(h.sidecar(at: path)?.prompts["caption"]?.status == .ok) }
            let libraryFiles = FileManager.default.enumerator(atPath: library)?.allObjects as? [String] ?? []
            #expect(libraryFiles.sorted() == ["2024", "2024/summer", "2024/summer/beach.jpg", "top.jpg"])
            #expect(try await h.generateRequests().count == 2)
            readOnly.release()
            await h.stop()
        }

        /// Outputs that can never be written where they go (a directory where the sidecar goes; a name too long
        /// for its sidecar) are recorded once and not retried: one journal line per image, one request each, and
        /// then nothing; once the directory is gone, a reload writes the sidecar from the kept result.
        @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
        func aSidecarThatCanNeverBeWrittenIsRecordedOnceAndNotRetried() async throws {
            let h = try await Harness()
            let blocked = h.inbox + "/blocked.jpg"
            try FileManager.default.createDirectory(atPath: blocked + OutputNames.sidecarSuffix, withIntermediateDirectories: false)
            let log = h.root + "/daemon.log"
            let daemon = try await DaemonProcess(h, log: log)
            try h.dropImage(named: "blocked.jpg")
            let longName = String(repeating: "n", count: 241) + ".jpg"  // 245 bytes: its sidecar's name would be 260
            try Harness.jpeg().write(to: URL(fileURLWithPath: h.root + "/long.jpg"))
            #expect(rename(h.root + "/long.jpg", h.inbox + "/" + longName) == 0)
            let good = try h.dropImage(named: "good.jpg")
            let lines = { (try? String(contentsOfFile: log, encoding: .utf8))?.components(separatedBy: "\n") ?? [] }
            let never = "ok, but the sidecar can never be written there"
            #expect(await eventually(60) { lines().filter { $0.contains(never) }.count == 2 && h.sidecar(of: good) != nil })
            // Past the first retries a transient failure would get (5 s, then 10 s).
            try await Task.sleep(for: .seconds(17))
            let quiet = lines()
            #expect(quiet.filter { $0.contains(never) }.count == 2, "recorded once per image")
            #expect(quiet.filter { $0.contains("still cannot be written") }.isEmpty, "not retried: \(quiet.suffix(5))")
            #expect(try await h.generateRequests().count == 3, "one request per image")
            #expect((try await DaemonProcess.status(h)["counts"] as? [String: Int])?["done"] == 3)

            try FileManager.default.removeItem(atPath: blocked + OutputNames.sidecarSuffix)
            daemon.signal(SIGHUP)
            #expect(await eventually(30) { h.sidecar(of: blocked)?.prompts["caption"]?.status == .ok })
            #expect(try await h.generateRequests().count == 3, "written from the kept result, not asked again")
            daemon.signal(SIGTERM)
            #expect(await daemon.exit(within: 30) == 0)
            await h.stop()
        }

        /// The disk holding the sidecars is full: the answer is kept in the Store and the sidecar is written
        /// once there is room again, without asking the model a second time.
        @Test(.enabled(if: getuid() == 0, "mounting a 1 MB tmpfs needs root"))
        func aFullDiskDelaysTheSidecarButLosesNoResult() async throws {
            let h = try await Harness()
            let (mirror, filler) = try Self.fullMirror(h, prompt: "caption", prompts: Harness.captionPrompt)
            defer { _ = run("/bin/umount", "-l", mirror) }
            let daemon = try await RunningDaemon.start(h)
            let image = try h.dropImage(named: "full.jpg")
            #expect(await eventually(30) { daemon.logs.contains("the sidecar cannot be written") })
            #expect(h.sidecar(at: mirror + "/full.jpg.dropsight.json") == nil)

            try FileManager.default.removeItem(atPath: filler)
            let sidecar = await eventually(30) { h.sidecar(at: mirror + "/full.jpg.dropsight.json") != nil }
            await daemon.stop()
            #expect(sidecar)
            #expect(h.sidecar(at: mirror + "/full.jpg.dropsight.json")?.prompts["caption"]?.status == .ok)
            #expect(try await h.generateRequests().count == 1)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: mirror).filter { $0.hasPrefix(OutputNames.temporaryPrefix) }
            #expect(leftovers.isEmpty)
            _ = image
            await h.stop()
        }

        /// A full disk refuses the overlay: the sidecar waits (a sidecar never names a missing overlay), the
        /// reply is kept, and after a restart with room again the overlay is drawn from the stored reply and
        /// the sidecar written, without asking the model a second time.
        @Test(.enabled(if: getuid() == 0, "mounting a 1 MB tmpfs needs root"))
        func aFullDiskDelaysTheOverlayButLosesNoResult() async throws {
            let h = try await Harness()
            let (mirror, filler) = try Self.fullMirror(h, prompt: "boxes", prompts: Harness.twoPrompts)
            defer { _ = run("/bin/umount", "-l", mirror) }
            var daemon = try await RunningDaemon.start(h)
            _ = try h.dropImage(named: "full.jpg", width: 320, height: 240)
            #expect(await eventually(30) { daemon.logs.contains("overlay or masks cannot be written yet") })
            await daemon.stop()
            #expect(h.sidecar(at: mirror + "/full.jpg.dropsight.json") == nil)

            try FileManager.default.removeItem(atPath: filler)
            daemon = try await RunningDaemon.start(h)
            let written = await eventually(30) { h.sidecar(at: mirror + "/full.jpg.dropsight.json") != nil }
            await daemon.stop()
            #expect(written)
            let result = h.sidecar(at: mirror + "/full.jpg.dropsight.json")?.prompts["boxes"]
            #expect(result?.status == .ok)
            #expect(result?.overlay == "full.jpg.boxes.png")
            #expect(result?.notes == nil, "\(result?.notes ?? [])")
            let overlay = try Data(contentsOf: URL(fileURLWithPath: mirror + "/full.jpg.boxes.png"))
            #expect(overlay.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(try await h.generateRequests().count == 1)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: mirror).filter { $0.hasPrefix(OutputNames.temporaryPrefix) }
            #expect(leftovers.isEmpty)
            await h.stop()
        }

        /// At start, a finished image whose sidecar was deleted gets it back from the Store (no new request),
        /// an image deleted while the daemon was stopped is forgotten, and a temporary file left by an
        /// interrupted write in a sub-folder is removed.
        @Test func reconciliationRewritesMissingSidecarsAndForgetsGoneImages() async throws {
            let h = try await Harness()
            var daemon = try await RunningDaemon.start(h)
            let kept = try h.dropImage(named: "kept.jpg")
            let gone = try h.dropImage(named: "gone.jpg")
            let original = try #require(await h.waitForSidecar(kept))
            #expect(await h.waitForSidecar(gone) != nil)
            await h.waitUntilRecorded()
            await daemon.stop()

            try FileManager.default.removeItem(atPath: kept + OutputNames.sidecarSuffix)
            try FileManager.default.removeItem(atPath: gone)
            // What a crash in the middle of a write leaves, in a sub-folder.
            let leftover = try h.folder("inbox/2024") + "/" + OutputNames.temporaryPrefix + "0123456789ab.tmp"
            try writeInPlace(Data("{\"schema_version\": 1".utf8), to: leftover)
            daemon = try await RunningDaemon.start(h)
            let rewritten = await h.waitForSidecar(kept, seconds: 30)
            #expect(await eventually(10) { !FileManager.default.fileExists(atPath: leftover) })
            await daemon.stop()
            #expect(rewritten == original)
            #expect(try await h.generateRequests().count == 2)
            let store = try Store(path: h.stateDir + "/dropsight.sqlite3")
            let known = try await store.fingerprints(folder: h.inbox)
            #expect(Set(known.keys) == [kept])
            #expect(daemon.logs.contains("1 gone, 1 sidecar(s) rewritten"))
            await h.stop()
        }

        /// A 1 MB tmpfs at `mirror`, filled up by `mirror/filler`, as the `output_dir` of the inbox running `prompt`.
        static func fullMirror(_ h: Harness, prompt: String, prompts: String) throws -> (mirror: String, filler: String) {
            let mirror = try h.folder("mirror")
            try #require(run("/bin/mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mirror) == 0, "cannot mount a tmpfs on \(mirror)")
            let filler = mirror + "/filler"
            fill(filler)
            try h.writeConfig(folders: [.init(path: h.inbox, prompts: [prompt], extra: "output_dir = \"\(mirror)\"")], prompts: prompts)
            return (mirror, filler)
        }

        /// Writes zeros to `path` until the file system is full.
        static func fill(_ path: String) {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { return }
            defer { close(fd) }
            let block = [UInt8](repeating: 0, count: 4096)
            while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        }
    }
}

/// Makes a folder read-only for the daemon: a read-only tmpfs copy when root (root ignores permissions),
/// else mode 0555.
final class ReadOnlyFolder: @unchecked Sendable {
    // @unchecked: `released` is only touched by the test that owns it.
    let path: String
    let mounted: Bool
    private var released = false

    init(_ path: String) throws {
        self.path = path
        if getuid() == 0 {
            let staged = path + ".staged"
            try FileManager.default.moveItem(atPath: path, toPath: staged)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            guard run("/bin/mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", path) == 0,
                run("/bin/cp", "-a", staged + "/.", path) == 0,
                run("/bin/mount", "-o", "remount,ro", path) == 0
            else { throw TestFailure("cannot make \(path) a read-only mount") }
            try FileManager.default.removeItem(atPath: staged)
            mounted = true
        } else {
            guard chmod(path, 0o555) == 0 else { throw TestFailure("cannot chmod \(path)") }
            mounted = false
        }
    }

    func release() {
        guard !released else { return }
        released = true
        if mounted { _ = run("/bin/umount", "-l", path) } else { chmod(path, 0o755) }
    }
}

/// Runs a command and returns its exit status.
@discardableResult
func run(_ executable: String, _ arguments: String...) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}
