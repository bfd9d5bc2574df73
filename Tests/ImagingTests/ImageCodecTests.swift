import DropsightTestSupport
import Foundation
import Imaging
import Testing

@Suite("ImageCodec")
struct ImageCodecTests {
    @Test("PNG round trip keeps RGB pixels exactly")
    func pngRoundTripRGB() throws {
        let image = markedPicture(width: 64, height: 48)
        let png = try ImageCodec.encodePNG(image)
        #expect(ImageProbe.sniff([UInt8](png.prefix(64))) == .png)
        #expect(try ImageCodec.decode(png) == image)
    }

    @Test("PNG round trip keeps grey as one band and alpha as four")
    func pngRoundTripGreyAndAlpha() throws {
        var grey = PixelImage(width: 10, height: 7, bands: 1, fill: 30)
        grey[3, 4] = 200
        #expect(try ImageCodec.decode(ImageCodec.encodePNG(grey)) == grey)

        var rgba = PixelImage(width: 9, height: 5, fill: [10, 20, 30, 0])
        rgba.setPixel(x: 2, y: 1, [255, 0, 0, 255])
        let decoded = try ImageCodec.decode(ImageCodec.encodePNG(rgba))
        #expect(decoded.bands == 4)
        #expect(decoded.pixel(x: 2, y: 1) == [255, 0, 0, 255])
        #expect(decoded.pixel(x: 0, y: 0)[3] == 0)
    }

    @Test("lossy formats round trip to nearly the same colours", arguments: [ImageFormat.jpeg, .webp, .heic, .heif])
    func lossyRoundTrip(format: ImageFormat) throws {
        let image = markedPicture(width: 128, height: 96)
        let data = try ImageCodec.encode(image, format: format)
        // libheif writes HEVC-coded HEIF with the `heic` brand whichever of the two was asked for.
        #expect(ImageProbe.sniff([UInt8](data.prefix(64))) == (format == .heif ? .heic : format))
        let decoded = try ImageCodec.decode(data)
        #expect(decoded.width == 128 && decoded.height == 96 && decoded.bands == 3)
        #expect(isClose(decoded.pixel(x: 40, y: 30), Colors.red))
        #expect(isClose(decoded.pixel(x: 100, y: 80), Colors.grey))
    }

    @Test("decodeFile reads stored pixels without turning them")
    func decodeFileKeepsStoredOrientation() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let image = markedPicture(width: 80, height: 40)
        let path = try directory.write(ImageCodec.encodeJPEG(image, orientation: 6), to: "turned.jpg")
        let decoded = try ImageCodec.decodeFile(path: path)
        #expect(decoded.width == 80 && decoded.height == 40)
        #expect(isClose(decoded.pixel(x: 15, y: 8), Colors.red))
    }

    @Test("decoding text fails with notAnImage, empty bytes with truncated")
    func decodeRejectsNonImages() {
        #expect(imagingError { try ImageCodec.decode(Array("hello, world".utf8)) }?.code == .notAnImage)
        #expect(imagingError { try ImageCodec.decode([UInt8]()) }?.code == .truncated)
    }

    @Test("a JPEG cut in half fails with truncated instead of grey pixels")
    func decodeTruncatedJPEG() throws {
        let jpeg = try [UInt8](ImageCodec.encodeJPEG(markedPicture(width: 256, height: 256)))
        let error = imagingError { try ImageCodec.decode(Array(jpeg.prefix(jpeg.count / 2))) }
        #expect(error?.code == .truncated)
    }

    @Test("decoding refuses images over the pixel limit")
    func decodeLimit() throws {
        let png = try ImageCodec.encodePNG(PixelImage(width: 100, height: 100, bands: 1))
        #expect(imagingError { try ImageCodec.decode(png, maxPixels: 9_999) }?.code == .tooLarge)
        #expect(try ImageCodec.decode(png, maxPixels: 10_000).width == 100)
    }

    @Test("PNG and HEIC refuse an orientation other than 1 instead of writing one readers ignore")
    func orientationRefused() throws {
        let image = markedPicture(width: 32, height: 16)
        #expect(imagingError { try ImageCodec.encode(image, format: .heic, orientation: 6) }?.code == .encodeFailed)
        #expect(imagingError { try ImageCodec.encode(image, format: .png, orientation: 3) }?.code == .encodeFailed)
        #expect(try ImageCodec.encode(image, format: .heic, orientation: 1).count > 0)
    }
}
