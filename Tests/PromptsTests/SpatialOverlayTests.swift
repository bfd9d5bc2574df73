import DropsightTestSupport
import Foundation
import Imaging
import Testing
@testable import Prompts

/// Parsed replies drawn by the real overlay renderer: the colours land where the reply said.
@Suite struct SpatialOverlayTests {
    @Test func segmentMaskAndBoxAreDrawnAtTheirPlaces() throws {
        let folder = try TemporaryFolder(prefix: "prompts-overlay")
        defer { folder.cleanup() }
        let picture = folder.url.appending(path: "grey.png")
        try ImageCodec.encodePNG(PixelImage(width: 400, height: 200, fill: [128, 128, 128])).write(to: picture)

        // Item 1: a box on the left half with a polygon filling it. Item 2: a box only (tokens mask).
        let reply = #"[{"box_2d": [100, 50, 900, 450], "mask": [[100, 50], [100, 450], [900, 450], [900, 50]], "label": "<b>left</b>"}, "#
            + #"{"box_2d": [100, 600, 900, 900], "mask": "<start_of_mask><seg_1>", "label": "right"}]"#
        let parse = SegmentationParser.parse(text: reply, imageWidth: 400, imageHeight: 200, decodePNG: MaskPNGDecoder.libvips)
        #expect(parse.overlayBoxes.map(\.colorIndex) == [0, 1])
        #expect(parse.overlayMasks.map { [$0.x, $0.y, $0.mask.width, $0.mask.height, $0.colorIndex] } == [[20, 20, 160, 160, 0]])

        let png = try OverlayRenderer.render(
            imagePath: picture.path, boxes: parse.overlayBoxes, masks: parse.overlayMasks)
        let overlay = try ImageCodec.decode(png)
        #expect(overlay.width == 400 && overlay.height == 200)
        let grey: [UInt8] = [128, 128, 128]
        // Inside the first mask the grey is tinted towards palette colour 0 (red dominates).
        let tinted = overlay.pixel(x: 100, y: 120)
        #expect(tinted != grey && tinted[0] > tinted[1] && tinted[0] > tinted[2])
        // The second box has no mask: its inside stays grey, its border has palette colour 1.
        #expect(overlay.pixel(x: 300, y: 120) == grey)
        #expect(overlay.pixel(x: 240, y: 120) == OverlayPalette.color(1))
        // Outside every box nothing changes.
        #expect(overlay.pixel(x: 395, y: 195) == grey)
    }

    @Test func maskBitmapBecomesAOneBandImage() {
        let bitmap = MaskBitmap(width: 2, height: 1, pixels: [0, 255])
        #expect(bitmap.pixelImage == PixelImage(width: 2, height: 1, bands: 1, pixels: [0, 255]))
    }
}
