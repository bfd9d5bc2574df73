import Foundation

/// Placeholder until feat/imaging lands: every decode fails.
struct ImagingCodec: PixelCodec {
    struct Unavailable: Error {}
    func decode(_ data: Data) throws -> Raster { throw Unavailable() }
    func encodePNG(_ raster: Raster) throws -> Data { throw Unavailable() }
}
