import Foundation
import Imaging

/// Decodes a `data:image/png;base64,...` probability map into a box-sized binary mask.
///
/// Everything is checked before the injected decoder runs: the base64 length, the PNG signature
/// and the size in its IHDR header (so a small PNG that inflates to gigapixels is never decoded).
enum PNGMask {
    /// A PNG decoder: bytes in, 8-bit grayscale out.
    typealias Decoder = (Data) throws -> (width: Int, height: Int, gray: [UInt8])

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether a mask string looks like an inline image (data URL or bare base64 PNG).
    static func isImage(_ mask: String) -> Bool {
        mask.hasPrefix("data:") || mask.hasPrefix("iVBORw0KGgo")
    }

    static func decode(
        _ mask: String, width: Int, height: Int, threshold: UInt8,
        limits: SpatialLimits, decoder: Decoder
    ) -> Result<MaskBitmap, MaskProblem> {
        guard mask.utf8.count <= limits.maxMaskBase64Length else {
            return .failure(
                MaskProblem(
                    "mask is \(mask.utf8.count) bytes of base64, more than the \(limits.maxMaskBase64Length) allowed"))
        }
        var payload = Substring(mask)
        if mask.hasPrefix("data:") {
            guard let comma = payload.firstIndex(of: ",") else {
                return .failure(MaskProblem("mask data URL has no comma before its data"))
            }
            let header = payload[..<comma]
            guard header.hasSuffix(";base64") else {
                return .failure(MaskProblem("mask data URL is not base64"))
            }
            payload = payload[payload.index(after: comma)...]
        }
        guard let bytes = Data(base64Encoded: String(payload), options: .ignoreUnknownCharacters) else {
            return .failure(MaskProblem("mask base64 is invalid or truncated"))
        }
        guard bytes.count >= 24, Array(bytes.prefix(8)) == signature else {
            return .failure(MaskProblem("mask is not a PNG"))
        }
        let headerWidth = bigEndian(bytes, at: 16)
        let headerHeight = bigEndian(bytes, at: 20)
        guard headerWidth > 0, headerHeight > 0,
            headerWidth <= limits.maxMaskSide, headerHeight <= limits.maxMaskSide
        else {
            return .failure(
                MaskProblem(
                    "mask PNG is \(headerWidth)x\(headerHeight); accepted sizes are 1 to \(limits.maxMaskSide) a side"))
        }
        let decoded: (width: Int, height: Int, gray: [UInt8])
        do {
            decoded = try decoder(bytes)
        } catch {
            return .failure(MaskProblem("mask PNG could not be decoded: \(error)"))
        }
        guard decoded.width == headerWidth, decoded.height == headerHeight,
            decoded.gray.count == decoded.width * decoded.height
        else {
            return .failure(
                MaskProblem(
                    "mask PNG decoded to \(decoded.gray.count) values for \(decoded.width)x\(decoded.height), not its header's \(headerWidth)x\(headerHeight)"
                ))
        }
        let gray = PixelImage(width: decoded.width, height: decoded.height, bands: 1, pixels: decoded.gray)
        let mask = MaskResampler.resizeAndThreshold(gray, toWidth: width, height: height, threshold: Double(threshold))
        return .success(MaskBitmap(width: width, height: height, pixels: mask.pixels))
    }

    private static func bigEndian(_ bytes: Data, at offset: Int) -> Int {
        let start = bytes.startIndex + offset
        return bytes[start..<start + 4].reduce(0) { $0 << 8 | Int($1) }
    }
}
