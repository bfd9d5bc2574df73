import DropsightTestSupport
import Foundation
import Imaging
import Testing

@Suite("ImageProbe")
struct ImageProbeTests {
    @Test("sniff knows each accepted magic number")
    func sniffMagics() {
        #expect(ImageProbe.sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == .jpeg)
        #expect(ImageProbe.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]) == .png)
        #expect(ImageProbe.sniff(Array("RIFF".utf8) + [1, 2, 3, 4] + Array("WEBPVP8 ".utf8)) == .webp)
        for brand in ["heic", "heix", "hevc", "heim", "heis", "hevm", "hevs"] {
            #expect(ImageProbe.sniff(ftyp(major: brand, compatible: ["mif1", brand])) == .heic, "brand \(brand)")
        }
        #expect(ImageProbe.sniff(ftyp(major: "mif1", compatible: ["mif1"])) == .heif)
        #expect(ImageProbe.sniff(ftyp(major: "msf1", compatible: ["msf1"])) == .heif)
    }

    @Test("sniff refuses text, empty, cut-off and other formats")
    func sniffRefusals() {
        #expect(ImageProbe.sniff(Array("just some text\n".utf8)) == nil)
        #expect(ImageProbe.sniff([]) == nil)
        #expect(ImageProbe.sniff([0xFF, 0xD8]) == nil)
        #expect(ImageProbe.sniff(Array("RIFF".utf8) + [1, 2, 3, 4] + Array("WAVE".utf8)) == nil)
        #expect(ImageProbe.sniff(Array("GIF89a".utf8) + [1, 0, 1, 0]) == nil)
        #expect(ImageProbe.sniff(ftyp(major: "avif", compatible: ["avif", "mif1"])) == nil)
        #expect(ImageProbe.sniff(ftyp(major: "mif1", compatible: ["mif1", "avif"])) == nil)
        #expect(ImageProbe.sniff(ftyp(major: "isom", compatible: ["mp41"])) == nil)
    }

    @Test("probe reads format, stored size, alpha and MIME type", arguments: [ImageFormat.png, .jpeg, .webp, .heic])
    func probeFormats(format: ImageFormat) throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        // A misleading name: the content decides.
        let path = try directory.write(ImageCodec.encode(markedPicture(width: 120, height: 70), format: format), to: "picture.txt")
        let info = try ImageProbe.probe(path: path)
        #expect(info == ImageInfo(format: format, width: 120, height: 70, orientation: 1, hasAlpha: false))
        #expect(info.mimeType == "image/\(format.rawValue)")
    }

    @Test("probe reads back orientation 6 and swaps the upright sides", arguments: [ImageFormat.jpeg, .webp])
    func probeOrientation(format: ImageFormat) throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(
            ImageCodec.encode(markedPicture(width: 200, height: 100), format: format, orientation: 6), to: "turned")
        let info = try ImageProbe.probe(path: path)
        #expect(info.orientation == 6)
        #expect(info.width == 200 && info.height == 100)
        #expect(info.uprightWidth == 100 && info.uprightHeight == 200)
    }

    @Test("probe sees alpha in an RGBA PNG")
    func probeAlpha() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodePNG(PixelImage(width: 4, height: 4, fill: [1, 2, 3, 4])), to: "a.png")
        #expect(try ImageProbe.probe(path: path).hasAlpha)
    }

    @Test("probe of a FIFO returns at once with notRegularFile", .timeLimit(.minutes(1)))
    func probeFIFO() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = directory.path("drop.jpg")
        #expect(mkfifo(path, 0o600) == 0)
        let error = imagingError { try ImageProbe.probe(path: path) }
        #expect(error?.code == .notRegularFile)
        #expect(error?.description.contains(path) == true)
    }

    @Test("probe of a directory fails with notRegularFile")
    func probeDirectory() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        #expect(imagingError { try ImageProbe.probe(path: directory.url.path) }?.code == .notRegularFile)
    }

    @Test("probe names what is wrong with text, empty, cut and GIF files")
    func probeBadFiles() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let text = try directory.write(Data("not a picture\n".utf8), to: "a.jpg")
        let empty = try directory.write(Data(), to: "b.jpg")
        let jpeg = try ImageCodec.encodeJPEG(markedPicture(width: 64, height: 64))
        let cutHeader = try directory.write(jpeg.prefix(40), to: "c.jpg")
        let cutMagic = try directory.write(jpeg.prefix(2), to: "d.jpg")
        let gif = try directory.write(Data("GIF89a".utf8 + [1, 0, 1, 0, 0, 0, 0]), to: "e.gif")

        #expect(imagingError { try ImageProbe.probe(path: text) }?.code == .notAnImage)
        #expect(imagingError { try ImageProbe.probe(path: empty) }?.code == .truncated)
        #expect(imagingError { try ImageProbe.probe(path: cutHeader) }?.code == .truncated)
        #expect(imagingError { try ImageProbe.probe(path: cutMagic) }?.code == .truncated)
        #expect(imagingError { try ImageProbe.probe(path: gif) }?.code == .unsupportedFormat)
        let missing = imagingError { try ImageProbe.probe(path: directory.path("missing.jpg")) }
        #expect(missing?.code == .io)
        #expect(missing?.description.contains("missing.jpg") == true)
    }

    private func ftyp(major: String, compatible: [String]) -> [UInt8] {
        let size = 16 + 4 * compatible.count
        return [0, 0, 0, UInt8(size)] + Array("ftyp".utf8) + Array(major.utf8) + [0, 0, 0, 0]
            + compatible.flatMap { Array($0.utf8) } + [0, 0, 0, 8] + Array("meta".utf8)
    }
}
