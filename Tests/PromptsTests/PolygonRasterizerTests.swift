import Testing

@testable import Prompts

@Suite struct PolygonRasterizerTests {
    private func fill(_ points: [(Double, Double)], width: Int, height: Int) -> MaskBitmap {
        PolygonRasterizer.fill(rings: [points.map { PolygonRasterizer.Point(x: $0.0, y: $0.1) }], width: width, height: height)
    }

    @Test func aRectanglePolygonFillsExactlyItsPixels() {
        let mask = fill([(2, 1), (6, 1), (6, 4), (2, 4)], width: 10, height: 6)
        #expect(mask.area == 4 * 3)
        #expect(mask[x: 2, y: 1] && mask[x: 5, y: 3])
        #expect(!mask[x: 1, y: 1] && !mask[x: 6, y: 1] && !mask[x: 2, y: 4])
    }

    @Test func aTriangleCoversAboutHalfItsBoxAndATooShortPolygonNothing() {
        let mask = fill([(0, 0), (100, 0), (0, 100)], width: 100, height: 100)
        #expect(abs(mask.area - 5000) <= 100)
        #expect(mask[x: 10, y: 10] && !mask[x: 90, y: 90])
        #expect(fill([(0, 0), (5, 5)], width: 10, height: 10).area == 0)
    }

    @Test func pointsOutsideTheMaskAreClipped() {
        #expect(fill([(-10, -10), (20, -10), (20, 20), (-10, 20)], width: 5, height: 5).area == 25)
    }
}
