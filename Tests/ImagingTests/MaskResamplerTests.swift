import Imaging
import Testing

@Suite("MaskResampler")
struct MaskResamplerTests {
    @Test("threshold keeps values at or above the limit")
    func threshold() {
        let mask = PixelImage(width: 4, height: 1, bands: 1, pixels: [0, 126, 127, 255])
        let kept = MaskResampler.resizeAndThreshold(mask, toWidth: 4, height: 1, threshold: 127)
        #expect(kept.pixels == [0, 0, 255, 255])
        #expect(kept.bands == 1)
    }

    /// Pixels whose interpolated value rounds to 255 (`>= 254.5`) and to more than 0 (`>= 0.5`).
    private func levels(_ mask: PixelImage, width: Int, height: Int) -> (full: PixelImage, some: PixelImage) {
        (
            MaskResampler.resizeAndThreshold(mask, toWidth: width, height: height, threshold: 254.5),
            MaskResampler.resizeAndThreshold(mask, toWidth: width, height: height, threshold: 0.5)
        )
    }

    @Test("bilinear resize keeps flat areas and blends across edges")
    func resize() {
        var mask = PixelImage(width: 4, height: 4, bands: 1)
        mask.fillRect(x: 2, y: 0, width: 2, height: 4, color: [255])
        let large = levels(mask, width: 8, height: 8)
        #expect(large.some.width == 8 && large.some.height == 8)
        #expect(large.some[0, 3] == 0 && large.full[7, 3] == 255)
        #expect(large.some[3, 3] == 255 && large.full[3, 3] == 0)
        let small = levels(mask, width: 2, height: 2)
        #expect(small.some.pixels == [0, 255, 0, 255] && small.full.pixels == [0, 255, 0, 255])
    }

    @Test("256x256 mask resized to a box and thresholded covers the same share")
    func resizeToBox() {
        var mask = PixelImage(width: 256, height: 256, bands: 1)
        mask.fillRect(x: 0, y: 0, width: 128, height: 256, color: [255])
        let fitted = MaskResampler.resizeAndThreshold(mask, toWidth: 100, height: 40, threshold: 127)
        #expect(fitted.pixels.count(where: { $0 != 0 }) == 50 * 40)
    }
}
