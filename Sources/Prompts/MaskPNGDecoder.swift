import Foundation
import Imaging

/// PNG mask decoding through libvips, ready to pass as `SegmentationParser.parse(decodePNG:)`.
public enum MaskPNGDecoder {
    /// Decodes PNG bytes to 8-bit grey; a colour mask gives its first band.
    ///
    /// Blocking libvips work: call it (and so the parser) off Swift's cooperative pool.
    public static func libvips(_ data: Data) throws -> (width: Int, height: Int, gray: [UInt8]) {
        let image = try ImageCodec.decode(data)
        guard image.bands > 1 else { return (image.width, image.height, image.pixels) }
        let gray = stride(from: 0, to: image.pixels.count, by: image.bands).map { image.pixels[$0] }
        return (image.width, image.height, gray)
    }
}
