import Imaging
import Testing

@Suite("MaskOps")
struct MaskOpsTests {
    @Test("threshold keeps values at or above the limit")
    func threshold() {
        let mask = PixelImage(width: 4, height: 1, bands: 1, pixels: [0, 126, 127, 255])
        #expect(MaskOps.threshold(mask, at: 127).pixels == [0, 0, 255, 255])
        #expect(MaskOps.area(MaskOps.threshold(mask, at: 127)) == 2)
    }

    @Test("bilinear resize keeps flat areas and blends across edges")
    func resize() {
        var mask = PixelImage(width: 4, height: 4, bands: 1)
        mask.fillRect(x: 2, y: 0, width: 2, height: 4, color: [255])
        let large = MaskOps.resize(gray: mask, toWidth: 8, height: 8)
        #expect(large.width == 8 && large.height == 8)
        #expect(large[0, 3] == 0 && large[7, 3] == 255)
        #expect(large[3, 3] > 0 && large[3, 3] < 255)
        let small = MaskOps.resize(gray: mask, toWidth: 2, height: 2)
        #expect(small.pixels == [0, 255, 0, 255])
    }

    @Test("256x256 mask resized to a box and thresholded covers the same share")
    func resizeToBox() {
        var mask = PixelImage(width: 256, height: 256, bands: 1)
        mask.fillRect(x: 0, y: 0, width: 128, height: 256, color: [255])
        let fitted = MaskOps.threshold(MaskOps.resize(gray: mask, toWidth: 100, height: 40), at: 127)
        #expect(MaskOps.area(fitted) == 50 * 40)
    }

    @Test("a rectangle polygon fills exactly its pixels")
    func rectanglePolygon() {
        let mask = MaskOps.rasterizePolygon(points: [(2, 1), (6, 1), (6, 4), (2, 4)], width: 10, height: 6)
        #expect(MaskOps.area(mask) == 4 * 3)
        #expect(mask[2, 1] == 255 && mask[5, 3] == 255)
        #expect(mask[1, 1] == 0 && mask[6, 1] == 0 && mask[2, 4] == 0)
    }

    @Test("a triangle covers about half its bounding box; a too-short polygon covers nothing")
    func trianglePolygon() {
        let mask = MaskOps.rasterizePolygon(points: [(0, 0), (100, 0), (0, 100)], width: 100, height: 100)
        #expect(abs(MaskOps.area(mask) - 5000) <= 100)
        #expect(mask[10, 10] == 255 && mask[90, 90] == 0)
        #expect(MaskOps.area(MaskOps.rasterizePolygon(points: [(0, 0), (5, 5)], width: 10, height: 10)) == 0)
    }

    @Test("polygon points outside the mask are clipped")
    func clippedPolygon() {
        let mask = MaskOps.rasterizePolygon(points: [(-10, -10), (20, -10), (20, 20), (-10, 20)], width: 5, height: 5)
        #expect(MaskOps.area(mask) == 25)
    }
}
