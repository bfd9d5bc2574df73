import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import Dropsight

/// Files that are not usable images fail at once with a clear reason, and the daemon carries on.
@Suite(.serialized, .cleansUp) struct VisionBadImageTests {
    @Test func badImagesFailWithAReasonAndTheNextFileIsProcessed() async throws {
        let h = try await Harness()
        var noisy = PixelImage(width: 800, height: 600, bands: 3)
        for i in noisy.pixels.indices { noisy.pixels[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let jpeg = try ImageCodec.encodeJPEG(noisy, quality: 90)
        let bad: [(name: String, data: Data, code: String, words: String)] = [
            ("empty.jpg", Data(), "truncated", "empty"),
            ("cut.jpg", jpeg.prefix(jpeg.count / 2), "truncated", "ends early"),
            ("notes.jpg", Data("Shopping list: eggs, milk.\n".utf8), "not_an_image", "not a JPEG"),
            ("bomb.png", BombPNG.data(width: 30_000, height: 30_000), "too_large", "30000x30000"),
        ]
        let fifo = h.inbox + "/pipe.jpg"
        #expect(mkfifo(fifo, 0o644) == 0)

        let good = try await DaemonRun.with(h) {
            for item in bad { try Drop.file(item.data, named: item.name, in: h.inbox) }
            let good = try h.dropImage(named: "z-good.jpg")
            for item in bad {
                let sidecar = try #require(await h.waitForSidecar(h.inbox + "/" + item.name), "no sidecar for \(item.name)")
                let result = try #require(sidecar.prompts["caption"])
                #expect(result.status == .error, "\(item.name)")
                #expect(result.error?.code == item.code, "\(item.name): \(result.error?.code ?? "") \(result.error?.message ?? "")")
                #expect(result.error?.message.contains(item.words) == true, "\(item.name): \(result.error?.message ?? "")")
            }
            return try #require(await h.waitForSidecar(good))
        }
        #expect(good.prompts["caption"]?.status == .ok)
        // Only the good image reached the model, once: nothing was retried.
        #expect(try await h.generateRequests().count == 1)
        #expect(!FileManager.default.fileExists(atPath: fifo + OutputNames.sidecarSuffix), "the watcher reports regular files only")

        // Named on the command line (`dropsight process`), the FIFO is refused without blocking.
        let outcome = try await ImageProcessor(runtime: try h.runtime()).process(path: fifo, folder: nil, promptNames: ["caption"])
        #expect(!outcome.allOK)
        let fifoResult = try #require(h.sidecarAt(outcome.sidecarPath)?.prompts["caption"])
        #expect(fifoResult.error?.code == "not_a_regular_file")
        #expect(fifoResult.error?.message.contains("FIFO") == true, "\(fifoResult.error?.message ?? "")")
        try SidecarSchema.expectValid(below: h.inbox, atLeast: bad.count + 2)
        await h.stop()
    }
}

extension Harness {
    func sidecarAt(_ path: String) -> Sidecar? {
        FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(Sidecar.self, from: $0) }
    }
}

/// A PNG that claims a huge size in its header and holds almost nothing: a decompression bomb's shape.
enum BombPNG {
    static func data(width: Int, height: Int) -> Data {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", be(UInt32(width)) + be(UInt32(height)) + [8, 0, 0, 0, 0])
        // A zlib stream of one stored block holding a few zero bytes (the first rows' filter bytes and pixels).
        png += chunk("IDAT", [0x78, 0x01, 0x01, 0x08, 0x00, 0xF7, 0xFF] + [UInt8](repeating: 0, count: 8) + [0x00, 0x00, 0x00, 0x01])
        png += chunk("IEND", [])
        return Data(png)
    }

    private static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        return be(UInt32(body.count)) + typed + be(crc32(typed))
    }

    private static func be(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// CRC-32 as PNG chunks use it (polynomial 0xEDB88320).
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
