import Foundation

/// Stored pixels of one image as the emulator analyses them: 8-bit, bands 1/3/4 interleaved, row-major.
struct Raster: Sendable, Equatable {
    var width: Int
    var height: Int
    var bands: Int
    var pixels: [UInt8]

    /// The pixel at (x, y) as RGB, alpha composited over white, grey spread to three channels.
    @inline(__always)
    func rgb(x: Int, y: Int) -> (Int, Int, Int) {
        let offset = (y * width + x) * bands
        switch bands {
        case 1:
            let v = Int(pixels[offset])
            return (v, v, v)
        case 2:
            let v = Int(pixels[offset]), a = Int(pixels[offset + 1])
            let c = (v * a + 255 * (255 - a)) / 255
            return (c, c, c)
        case 4:
            let a = Int(pixels[offset + 3])
            func over(_ c: UInt8) -> Int { (Int(c) * a + 255 * (255 - a)) / 255 }
            return (over(pixels[offset]), over(pixels[offset + 1]), over(pixels[offset + 2]))
        default:
            return (Int(pixels[offset]), Int(pixels[offset + 1]), Int(pixels[offset + 2]))
        }
    }
}

/// Decoding and encoding of images for the emulator; the real one is libvips through `Imaging`.
protocol PixelCodec: Sendable {
    /// The stored pixels (EXIF orientation ignored, as a model sees them).
    func decode(_ data: Data) throws -> Raster
    /// A PNG of `raster` (1-band rasters become 8-bit grayscale PNGs).
    func encodePNG(_ raster: Raster) throws -> Data
}
