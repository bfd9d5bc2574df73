import DropsightTestSupport
import Foundation
import Imaging
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
    /// symlinked subfolder, a directory where a sidecar goes, a name too long for its sidecar, and `.jpg`
    /// files that are really TIFF, GIF and SVG. The good photos are done; each hostile file gets a clear
    /// result (or is not taken at all); nothing outside the folder is read or written.
    @Test func aFolderOfHostileFilesLeavesTheGoodPhotosDoneAndNothingOutsideTouched() async throws {
        let h = try await Harness()
        let outside = h.root + "/outside"
        try FileManager.default.createDirectory(atPath: outside + "/album", withIntermediateDirectories: true)
        try h.dropImage(named: "secret.jpg", width: 80, height: 60, in: outside)
        try h.dropImage(named: "x.jpg", in: outside + "/album")
        let outsideBefore = try FileManager.default.subpathsOfDirectory(atPath: outside).sorted()
        let longName = String(repeating: "l", count: 246) + ".jpg"  // 250 bytes: its sidecar's name is 265
        let blocked = h.inbox + "/blocked.jpg"
        try FileManager.default.createDirectory(atPath: blocked + OutputNames.sidecarSuffix, withIntermediateDirectories: false)

        let results = try await DaemonRun.with(h) {
            let temp = h.inbox + "/.incoming-huge.jpg"
            try ImageCodec.encodeJPEG(PixelImage(width: 100, height: 100, bands: 3, fill: 90)).write(to: URL(fileURLWithPath: temp))
            #expect(truncate(temp, 50_000_000_000) == 0)
            #expect(rename(temp, h.inbox + "/huge.jpg") == 0)
            #expect(mkfifo(h.inbox + "/pipe.jpg", 0o644) == 0)
            try FileManager.default.createSymbolicLink(atPath: h.inbox + "/link.jpg", withDestinationPath: outside + "/secret.jpg")
            try FileManager.default.createSymbolicLink(atPath: h.inbox + "/linked-album", withDestinationPath: outside + "/album")
            try Drop.file(OtherFormats.tiff, named: "scan.jpg", in: h.inbox)
            try Drop.file(OtherFormats.gif, named: "anim.jpg", in: h.inbox)
            try Drop.file(OtherFormats.svg, named: "vector.jpg", in: h.inbox)
            try h.dropImage(named: "blocked.jpg")
            let staged = try h.dropImage(named: "long.jpg", in: h.root)  // ".incoming-" + the long name is too long
            #expect(rename(staged, h.inbox + "/" + longName) == 0)
            let good = try (1...5).map { try h.dropImage(named: "good-\($0).jpg") }

            var sidecars: [String: Sidecar] = [:]
            for path in good + ["huge.jpg", "scan.jpg", "anim.jpg", "vector.jpg"].map({ h.inbox + "/" + $0 }) {
                sidecars[(path as NSString).lastPathComponent] = try #require(
                    await h.waitForSidecar(path), "no sidecar for \((path as NSString).lastPathComponent)")
            }
            // The two photos whose sidecar can never be written are still asked about once each.
            #expect(await poll(upTo: 30) { try await h.generateRequests().count == 7 })
            return sidecars
        }
        for index in 1...5 { #expect(results["good-\(index).jpg"]?.prompts["caption"]?.status == .ok) }
        let codes = [
            "huge.jpg": "file_too_large", "scan.jpg": "unsupported_format", "anim.jpg": "unsupported_format", "vector.jpg": "not_an_image",
        ]
        for (name, code) in codes { #expect(results[name]?.prompts["caption"]?.error?.code == code, "\(name)") }
        #expect(try await h.generateRequests().count == 7, "only the five good photos, blocked.jpg and the long name were sent")

        let inbox = Set(try FileManager.default.contentsOfDirectory(atPath: h.inbox))
        for name in ["pipe.jpg", "link.jpg", "linked-album"] {
            #expect(!inbox.contains(name + OutputNames.sidecarSuffix), "\(name) was taken")
        }
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: blocked + OutputNames.sidecarSuffix, isDirectory: &isFolder) && isFolder.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: blocked + OutputNames.sidecarSuffix).isEmpty)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: outside).sorted() == outsideBefore, "something was written outside")
        await h.stop()
    }
}
