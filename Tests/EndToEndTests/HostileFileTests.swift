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
}
