import DropsightTestSupport
import Foundation
import Testing

@testable import Imaging

/// Only the JPEG, PNG, WebP and HEIF loaders of libvips can run: a file that changes into another
/// format between its probe and its decode is refused, not decoded by the loader libvips would pick.
struct LoaderBlockTests {
    @Test(arguments: [("TIFF", OtherFormats.tiff), ("GIF", OtherFormats.gif), ("SVG", OtherFormats.svg)])
    func aJPEGRewrittenAfterItsProbeIsNotDecoded(format: String, bytes: Data) throws {
        let folder = try TemporaryFolder(prefix: "ds-loaders")
        defer { folder.cleanup() }
        let path = folder.path + "/photo.jpg"
        try ImageCodec.encodeJPEG(markedPicture(width: 40, height: 30)).write(to: URL(fileURLWithPath: path))
        let image = try UprightImageFile(path: path, maxPixels: Imaging.defaultMaxPixels)
        #expect(image.info.format == .jpeg)

        // The same file (same inode, same open descriptor) now holds another format.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: bytes)
        try handle.close()

        let error = try #require(imagingError { try image.load(width: 1, height: 1) }, "the \(format) bytes were decoded")
        // decodeFailed, or truncated: libvips' error buffer is shared by every thread, so while other tests
        // decode cut-off files at the same time, its words can be theirs. Either way nothing was decoded.
        #expect(error.code == .decodeFailed || error.code == .truncated, "\(error)")
    }

    @Test func theFourAcceptedFormatsStillDecode() throws {
        for format in [ImageFormat.jpeg, .png, .webp, .heic] {
            let bytes = try ImageCodec.encode(markedPicture(width: 40, height: 30), format: format)
            #expect(try ImageCodec.decode(bytes).width == 40, "\(format)")
        }
    }
}
