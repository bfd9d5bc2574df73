import DropsightTestSupport
import FileAccess
import Foundation
import Imaging
import Store
import Testing

@testable import Dropsight

/// What anyone who can write to a watched folder may drop: each hostile file gets a clear error in its
/// sidecar without being read or decoded, and the good photo beside them is done.
@Suite(.serialized, .cleansUp) struct HostileFileTests {
    @Test func aSparse50GBFileIsRefusedFromItsSizeAndTheGoodPhotoIsDone() async throws {
        let h = try await Harness()
        let good = try await DaemonRun.with(h) {
            // A real JPEG extended to 50 GB: 4 KB on disk, 50 GB by its size.
            let temp = h.inbox + "/.incoming-huge.jpg"
            try ImageCodec.encodeJPEG(PixelImage(width: 100, height: 100, bands: 3, fill: 90)).write(to: URL(fileURLWithPath: temp))
            #expect(truncate(temp, 50_000_000_000) == 0)
            #expect(rename(temp, h.inbox + "/huge.jpg") == 0)
            let good = try h.dropImage(named: "good.jpg")

            let huge = try #require(await h.waitForSidecar(h.inbox + "/huge.jpg"), "no sidecar for huge.jpg")
            let result = try #require(huge.prompts["caption"])
            #expect(result.status == .error)
            #expect(result.error?.code == "file_too_large")
            #expect(result.error?.message.contains("max_file_bytes") == true, "\(result.error?.message ?? "")")
            #expect(huge.image.bytes == 50_000_000_000)
            #expect(huge.image.sha256 == "", "a refused file is never hashed")
            return try #require(await h.waitForSidecar(good))
        }
        #expect(good.prompts["caption"]?.status == .ok)
        #expect(try await h.generateRequests().count == 1, "only the good photo reached the model")
        try SidecarSchema.expectValid(below: h.inbox, atLeast: 2)
        await h.stop()
    }

    @Test func filesNamedJPEGThatAreTIFFGIFOrSVGGetAClearError() async throws {
        let h = try await Harness()
        let disguised: [(name: String, data: Data, code: String, words: String)] = [
            ("scan.jpg", OtherFormats.tiff, "unsupported_format", "not accepted"),
            ("anim.jpg", OtherFormats.gif, "unsupported_format", "not accepted"),
            ("vector.jpg", OtherFormats.svg, "not_an_image", "not a JPEG"),
        ]
        let good = try await DaemonRun.with(h) {
            for item in disguised { try Drop.file(item.data, named: item.name, in: h.inbox) }
            let good = try h.dropImage(named: "z-good.jpg")
            for item in disguised {
                let sidecar = try #require(await h.waitForSidecar(h.inbox + "/" + item.name), "no sidecar for \(item.name)")
                let error = sidecar.prompts["caption"]?.error
                #expect(error?.code == item.code, "\(item.name): \(error?.code ?? "") \(error?.message ?? "")")
                #expect(error?.message.contains(item.words) == true, "\(item.name): \(error?.message ?? "")")
                #expect(sidecar.image.width == nil, "\(item.name) was decoded")
            }
            return try #require(await h.waitForSidecar(good))
        }
        #expect(good.prompts["caption"]?.status == .ok)
        #expect(try await h.generateRequests().count == 1)
        await h.stop()
    }

    /// Beside five good photos: a 50 GB sparse JPEG, a FIFO, a symlink to a photo outside the folder, a
    /// symlinked subfolder, a directory where a sidecar goes, a name too long for its sidecar, a 236-byte name,
    /// a Latin-1 name, and `.jpg` files that are really TIFF, GIF and SVG. The good photos are done; each hostile
    /// file gets a clear result (or is not taken at all); nothing outside the folder is read or written.
    @Test func aFolderOfHostileFilesLeavesTheGoodPhotosDoneAndNothingOutsideTouched() async throws {
        let h = try await Harness()
        let folder = try HostileFolder(h)
        let outsideBefore = try folder.outsideFiles()

        let results = try await DaemonRun.with(h) {
            let good = try folder.drop()
            var sidecars: [String: Sidecar] = [:]
            for path in good + HostileFolder.refused.keys.map({ h.inbox + "/" + $0 }) {
                sidecars[PathText.name(of: path)] = try #require(await h.waitForSidecar(path), "no sidecar for \(PathText.name(of: path))")
            }
            // The two photos whose sidecar can never be written are still asked about once each.
            #expect(await poll(upTo: 30) { try await h.generateRequests().count == 9 })
            return sidecars
        }
        for name in (1...5).map({ "good-\($0).jpg" }) + [HostileFolder.longName, HostileFolder.latin1Shown] {
            #expect(results[name]?.prompts["caption"]?.status == .ok, "\(name)")
        }
        for (name, code) in HostileFolder.refused { #expect(results[name]?.prompts["caption"]?.error?.code == code, "\(name)") }
        #expect(try await h.generateRequests().count == 9, "only the seven good photos, blocked.jpg and the long name were sent")

        let inbox = Set(try FileManager.default.contentsOfDirectory(atPath: h.inbox))
        for name in HostileFolder.untaken {
            #expect(!inbox.contains(name + OutputNames.sidecarSuffix), "\(name) was taken")
        }
        var isFolder: ObjCBool = false
        let blockedSidecar = folder.blocked + OutputNames.sidecarSuffix
        #expect(FileManager.default.fileExists(atPath: blockedSidecar, isDirectory: &isFolder) && isFolder.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: blockedSidecar).isEmpty)
        #expect(try folder.outsideFiles() == outsideBefore, "something was written outside")
        await h.stop()
    }

    /// A photo swapped for a symlink to a photo outside after it settled and was queued, before its turn: the
    /// job refuses the link (`symbolic_link`) without reading the target, and the photo before it is done.
    @Test func aPhotoSwappedForALinkAfterItWasQueuedIsRefusedUnread() async throws {
        let h = try await Harness(api: "max_concurrency = 1") { $0.latencyMilliseconds = 3000 }
        let folder = try HostileFolder(h)
        let daemon = try await RunningDaemon.start(h)
        let database = h.stateDir + "/dropsight.sqlite3"
        func count(_ state: JobState) async throws -> Int {
            try await Store.openReadOnly(path: database).status(now: Date()).counts[state] ?? 0
        }
        let first = try h.dropImage(named: "first.jpg")
        #expect(await poll(upTo: 30) { try await count(.running) == 1 }, "the first photo is not being processed")
        // While the first photo's request takes 3 s, the second settles and waits in the queue.
        let victim = try h.dropImage(named: "victim.jpg")
        #expect(await poll(upTo: 30) { try await count(.pending) == 1 }, "victim.jpg was not queued")
        // Swapped in one step (a link renamed over it), so no deletion is ever seen.
        try FileManager.default.createSymbolicLink(atPath: h.inbox + "/.swap", withDestinationPath: folder.outside + "/secret.jpg")
        #expect(rename(h.inbox + "/.swap", victim) == 0)

        let sidecar = try #require(await h.waitForSidecar(victim), "no sidecar for the swapped photo")
        #expect(sidecar.prompts["caption"]?.error?.code == "symbolic_link", "\(sidecar.prompts)")
        #expect(sidecar.image.sha256 == "" && sidecar.image.width == nil, "the link's target was read")
        #expect(await h.waitForSidecar(first)?.prompts["caption"]?.status == .ok)
        await h.waitUntilRecorded()
        await daemon.stop()
        #expect(try await h.generateRequests().count == 1, "only the first photo reached the model")
        await h.stop()
    }

    /// The same folder under the real daemon process: it stays one process, and half a minute after the good
    /// photos are done it uses under a tenth of a core (nothing it refused keeps it busy).
    @Test(.enabled(if: DaemonProcess.binaryExists, "build the dropsight binary first (swift build)"))
    func halfAMinuteAfterAHostileFolderTheDaemonIsIdle() async throws {
        let h = try await Harness()
        let folder = try HostileFolder(h)
        let daemon = try await DaemonProcess(h, log: h.root + "/daemon.log")
        #expect(await eventually(60) { (try? await DaemonProcess.status(h)) != nil }, "the daemon did not start")
        let good = try folder.drop()
        for path in good { #expect(await h.waitForSidecar(path) != nil, "no sidecar for \(PathText.name(of: path))") }
        try await Task.sleep(for: .seconds(30))
        let pid = daemon.process.processIdentifier
        let before = try #require(Self.cpuSeconds(of: pid))
        try await Task.sleep(for: .seconds(10))
        let after = try #require(Self.cpuSeconds(of: pid))
        #expect(daemon.process.isRunning, "the daemon ended")
        #expect(after - before < 1.0, "the daemon used \(after - before) s of CPU in 10 s, half a minute after its work")
        daemon.signal(SIGTERM)
        #expect(await daemon.exit(within: 30) == 0)
        await h.stop()
    }

    /// User plus system CPU seconds of process `pid` so far (`/proc/PID/stat` fields 14 and 15).
    static func cpuSeconds(of pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
