import Imaging

extension PixelImage {
    /// The pixel at (x, y) as RGB: grey spread to three channels, alpha composited over white.
    @inline(__always)
    func rgb(x: Int, y: Int) -> (Int, Int, Int) {
        let offset = (y * width + x) * bands
        switch bands {
        case 1:
            let v = Int(pixels[offset])
            return (v, v, v)
        case 4:
            let a = Int(pixels[offset + 3])
            func over(_ c: UInt8) -> Int { (Int(c) * a + 255 * (255 - a)) / 255 }
            return (over(pixels[offset]), over(pixels[offset + 1]), over(pixels[offset + 2]))
        default:
            return (Int(pixels[offset]), Int(pixels[offset + 1]), Int(pixels[offset + 2]))
        }
    }
}
