import DropsightTestSupport
import Foundation
import Imaging
import Testing

@Suite("ImagePreparer")
struct ImagePreparerTests {
    @Test("a 4000x3000 JPEG shrinks to the tile limit and keeps its tile count")
    func autoShrinksLargePhoto() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodeJPEG(markedPicture(width: 4000, height: 3000)), to: "big.jpg")
        let original = try Data(contentsOf: URL(fileURLWithPath: path))

        let prepared = try ImagePreparer.prepare(path: path, resolution: .auto)

        #expect(prepared.mimeType == "image/jpeg")
        #expect(prepared.width == 1536 && prepared.height == 1152)
        #expect(ImageTokens.tiles(width: prepared.width, height: prepared.height) == ImageTokens.tiles(width: 4000, height: 3000))
        #expect(prepared.estimatedTokens == 4 * 258)
        #expect(prepared.data.count < original.count)
        #expect(prepared.originalInfo.width == 4000)
        let decoded = try ImageCodec.decode(prepared.data)
        #expect(decoded.width == 1536 && decoded.height == 1152)
        #expect(isClose(decoded.pixel(x: 1536 / 4, y: 1152 / 4), Colors.red))
    }

    @Test(
        "auto size never exceeds tiles x 768 and keeps the tile count",
        arguments: [
            (4000, 3000), (6000, 4000), (3024, 4032), (1920, 1080), (10000, 800), (960, 540), (385, 385),
        ])
    func autoSizeRule(size: (Int, Int)) {
        let (width, height) = size
        let target = ImageSizing.autoSize(width: width, height: height)
        let grid = ImageTokens.grid(width: width, height: height)
        #expect(target.width <= width && target.height <= height)
        #expect(ImageTokens.tiles(width: target.width, height: target.height) == grid.columns * grid.rows)
        if target.width < width {
            #expect(target.width <= grid.columns * 768 && target.height <= grid.rows * 768)
        }
    }

    @Test("an orientation-6 photo comes back upright with the red square where a person sees it")
    func autoAppliesOrientation() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        // Stored 300x200 with red near the stored top-left; orientation 6 shows it turned clockwise,
        // so a person sees a 200x300 picture with the red near the top-right.
        let path = try directory.write(ImageCodec.encodeJPEG(markedPicture(width: 300, height: 200), orientation: 6), to: "side.jpg")

        let prepared = try ImagePreparer.prepare(path: path, resolution: .auto)

        #expect(prepared.width == 200 && prepared.height == 300)
        #expect(prepared.originalInfo.orientation == 6)
        let decoded = try ImageCodec.decode(prepared.data)
        #expect(decoded.width == 200 && decoded.height == 300)
        #expect(isClose(decoded.pixel(x: 150, y: 75), Colors.red))
        #expect(isClose(decoded.pixel(x: 50, y: 75), Colors.grey))
        #expect(isClose(decoded.pixel(x: 150, y: 225), Colors.grey))
        // The sent copy carries no orientation of its own, or the picture would be turned twice.
        let sent = try directory.write(prepared.data, to: "sent.jpg")
        #expect(try ImageProbe.probe(path: sent).orientation == 1)
    }

    @Test(".original returns the file's bytes when the picture is already upright")
    func originalUntouched() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let bytes = try ImageCodec.encode(markedPicture(width: 3000, height: 2000), format: .webp)
        let path = try directory.write(bytes, to: "photo.webp")

        let prepared = try ImagePreparer.prepare(path: path, resolution: .original)

        #expect(prepared.data == bytes)
        #expect(prepared.mimeType == "image/webp")
        #expect(prepared.width == 3000 && prepared.height == 2000)
        #expect(prepared.estimatedTokens == ImageTokens.estimate(width: 3000, height: 2000))
    }

    @Test(".original turns a rotated photo upright at full size")
    func originalRotated() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodeJPEG(markedPicture(width: 900, height: 600), orientation: 8), to: "p.jpg")
        let prepared = try ImagePreparer.prepare(path: path, resolution: .original)
        #expect(prepared.width == 600 && prepared.height == 900)
        #expect(prepared.mimeType == "image/jpeg")
    }

    @Test(".maxSide caps the long side and never upscales")
    func maxSide() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodePNG(markedPicture(width: 1000, height: 500)), to: "p.png")
        let capped = try ImagePreparer.prepare(path: path, resolution: .maxSide(400))
        #expect(capped.width == 400 && capped.height == 200)
        let uncapped = try ImagePreparer.prepare(path: path, resolution: .maxSide(5000))
        #expect(uncapped.width == 1000 && uncapped.height == 500)
    }

    @Test("small images stay as they are")
    func smallUnchanged() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let bytes = try ImageCodec.encodePNG(markedPicture(width: 384, height: 200))
        let path = try directory.write(bytes, to: "small.png")
        let prepared = try ImagePreparer.prepare(path: path, resolution: .auto)
        #expect(prepared.data == bytes)
        #expect(prepared.estimatedTokens == 258)
    }

    @Test("a resized picture with alpha is sent as PNG and keeps its alpha")
    func alphaBecomesPNG() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodePNG(PixelImage(width: 3000, height: 2000, fill: [0, 0, 255, 100])), to: "a.png")
        let prepared = try ImagePreparer.prepare(path: path, resolution: .maxSide(300))
        #expect(prepared.mimeType == "image/png")
        let decoded = try ImageCodec.decode(prepared.data)
        #expect(decoded.bands == 4)
        #expect(isClose(decoded.pixel(x: 10, y: 10), [0, 0, 255, 100], tolerance: 2))
    }

    @Test("a 30000x30000 PNG is refused as tooLarge before decoding")
    func bombGuard() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(pngHeaderOnly(width: 30000, height: 30000), to: "bomb.png")
        let info = try ImageProbe.probe(path: path)
        #expect(info.width == 30000 && info.height == 30000)
        let error = imagingError { try ImagePreparer.prepare(path: path, resolution: .auto) }
        #expect(error?.code == .tooLarge)
        #expect(error?.description.contains("bomb.png") == true)
    }

    @Test("a JPEG cut short fails with truncated, whether passed on or resized", arguments: [(1200, 900), (4000, 3000)])
    func truncatedJPEG(size: (Int, Int)) throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let jpeg = try ImageCodec.encodeJPEG(markedPicture(width: size.0, height: size.1))
        let path = try directory.write(jpeg.prefix(jpeg.count / 2), to: "cut.jpg")
        let error = imagingError { try ImagePreparer.prepare(path: path, resolution: .auto) }
        #expect(error?.code == .truncated)
        #expect(error?.description.contains("cut.jpg") == true)
    }

    @Test("ImagingQueue runs preparation off the cooperative pool and returns its result")
    func queue() async throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodeJPEG(markedPicture(width: 2000, height: 1000)), to: "q.jpg")
        let prepared = try await ImagingQueue().run { try ImagePreparer.prepare(path: path, resolution: .maxSide(500)) }
        #expect(prepared.width == 500 && prepared.height == 250)
    }

    @Test("a HEIC photo is resized and sent as JPEG")
    func heicResized() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encode(markedPicture(width: 1000, height: 800), format: .heic), to: "IMG_0001.HEIC")
        let prepared = try ImagePreparer.prepare(path: path, resolution: .maxSide(500))
        #expect(prepared.originalInfo.format == .heic)
        #expect(prepared.mimeType == "image/jpeg")
        #expect(prepared.width == 500 && prepared.height == 400)
        #expect(isClose(try ImageCodec.decode(prepared.data).pixel(x: 125, y: 100), Colors.red))
    }

    @Test("preparations on several queues at once each get their own picture")
    func parallelQueues() async throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let sizes = [(1600, 1200), (1200, 1600), (2000, 500), (900, 900)]
        let paths = try sizes.enumerated().map { index, size in
            try directory.write(ImageCodec.encodeJPEG(markedPicture(width: size.0, height: size.1)), to: "p\(index).jpg")
        }
        let results = try await withThrowingTaskGroup(of: (Int, PreparedImage).self) { group in
            for (index, path) in paths.enumerated() {
                let queue = ImagingQueue(label: "test.\(index)")
                group.addTask { (index, try await queue.run { try ImagePreparer.prepare(path: path, resolution: .maxSide(400)) }) }
            }
            return try await group.reduce(into: [Int: PreparedImage]()) { $0[$1.0] = $1.1 }
        }
        for (index, size) in sizes.enumerated() {
            let expected = ImageSizing.targetSize(width: size.0, height: size.1, resolution: .maxSide(400))
            #expect(results[index]?.width == expected.width && results[index]?.height == expected.height)
        }
    }

    /// A PNG whose header promises `width` x `height` RGB pixels, followed by a token IDAT and IEND.
    private func pngHeaderOnly(width: Int, height: Int) -> Data {
        func bigEndian(_ value: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            return bigEndian(body.count) + typed + bigEndian(Int(crc32(typed)))
        }
        let header = bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        return Data(signature + chunk("IHDR", header) + chunk("IDAT", [0x78, 0x9C, 0x01]) + chunk("IEND", []))
    }

    private func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// Ghostscript's ROMM RGB (ProPhoto) profile, present where libgs-common is installed.
private let rommProfilePath = "/usr/share/color/icc/ghostscript/rommrgb.icc"

@Suite("ImagePreparer colour profiles")
struct ImagePreparerColourTests {
    @Test(
        "a resized photo with an embedded profile is converted to sRGB",
        .enabled(if: FileManager.default.fileExists(atPath: rommProfilePath)))
    func embeddedProfileConverted() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let profile = try [UInt8](Data(contentsOf: URL(fileURLWithPath: rommProfilePath)))
        let jpeg = try [UInt8](ImageCodec.encodeJPEG(PixelImage(width: 400, height: 300, fill: [128, 128, 128])))
        let path = try directory.write(Data(withICCProfile(jpeg, profile: profile)), to: "romm.jpg")

        let prepared = try ImagePreparer.prepare(path: path, resolution: .maxSide(200))

        // ROMM RGB encodes with gamma 1.8, so its 128 grey is about 147 in sRGB.
        let decoded = try ImageCodec.decode(prepared.data)
        #expect(isClose(decoded.pixel(x: 100, y: 75), [147, 147, 147], tolerance: 6))
    }

    /// Inserts an APP2 ICC_PROFILE segment (one chunk) right after the JPEG's SOI marker.
    private func withICCProfile(_ jpeg: [UInt8], profile: [UInt8]) -> [UInt8] {
        let body = Array("ICC_PROFILE".utf8) + [0, 1, 1] + profile
        let length = body.count + 2
        let segment: [UInt8] = [0xFF, 0xE2, UInt8(length >> 8), UInt8(length & 0xFF)] + body
        return Array(jpeg[0..<2]) + segment + Array(jpeg[2...])
    }
}
