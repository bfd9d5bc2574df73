import Imaging
import Testing

@Suite("ImageTokens")
struct ImageTokensTests {
    @Test("small images are one tile of 258 tokens")
    func smallImages() {
        #expect(ImageTokens.estimate(width: 384, height: 384) == 258)
        #expect(ImageTokens.estimate(width: 1, height: 1) == 258)
        #expect(ImageTokens.tiles(width: 200, height: 384) == 1)
    }

    @Test("larger images follow the crop-unit rule")
    func tiledImages() {
        #expect(ImageTokens.estimate(width: 960, height: 540) == 1548)
        #expect(ImageTokens.tiles(width: 4000, height: 3000) == 4)
        // unit floor(384 / 1.5) = 256: 2 x 2 tiles as soon as one side passes 384.
        #expect(ImageTokens.tiles(width: 385, height: 384) == 4)
        #expect(ImageTokens.tiles(width: 1000, height: 1) == 1000)
    }
}
