import DropsightTestSupport
import Foundation
import Imaging
import Testing

@Suite("OverlayRenderer")
struct OverlayRendererTests {
    @Test("boxes are stroked in their colour and labels sit on a filled strip")
    func boxAndLabel() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodePNG(PixelImage(width: 400, height: 300, fill: Colors.grey)), to: "g.png")
        let box = OverlayBox(x: 100, y: 120, width: 150, height: 100, label: "cup", colorIndex: 2)

        let png = try OverlayRenderer.render(imagePath: path, boxes: [box], masks: [])
        let image = try ImageCodec.decode(png)

        let color = OverlayPalette.color(2)
        #expect(image.width == 400 && image.height == 300)
        #expect(image.pixel(x: 100, y: 170) == color)  // left edge
        #expect(image.pixel(x: 101, y: 170) == color)  // second pixel of the 2 px line
        #expect(image.pixel(x: 249, y: 170) == color)  // right edge
        #expect(image.pixel(x: 175, y: 219) == color)  // bottom edge
        #expect(image.pixel(x: 175, y: 170) == Colors.grey)  // inside untouched
        #expect(image.pixel(x: 101, y: 118) == color)  // label strip just above the box
        let strip = (100..<160).map { image.pixel(x: $0, y: 110) }
        #expect(strip.contains { $0 != color && $0 != Colors.grey }, "label text is drawn on the strip")
    }

    @Test("coordinates scale with maxSide and rotation is applied")
    func scaledAndUpright() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        // Stored 800x400, orientation 6: upright 400x800.
        let path = try directory.write(
            ImageCodec.encodeJPEG(PixelImage(width: 800, height: 400, fill: Colors.grey), orientation: 6), to: "r.jpg")
        let box = OverlayBox(x: 100, y: 400, width: 200, height: 200, label: "thing", colorIndex: 0)

        let image = try ImageCodec.decode(OverlayRenderer.render(imagePath: path, maxSide: 400, boxes: [box], masks: []))

        #expect(image.width == 200 && image.height == 400)
        #expect(image.pixel(x: 50, y: 250) == OverlayPalette.color(0))  // left edge of the half-size box
        #expect(isClose(image.pixel(x: 100, y: 250), Colors.grey, tolerance: 6))
    }

    @Test("masks are tinted in their colour and outlined")
    func maskTint() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodePNG(PixelImage(width: 200, height: 200, fill: Colors.white)), to: "w.png")
        var mask = PixelImage(width: 80, height: 80, bands: 1)
        mask.fillRect(x: 0, y: 0, width: 40, height: 80, color: [255])

        let image = try ImageCodec.decode(
            OverlayRenderer.render(
                imagePath: path, boxes: [], masks: [OverlayMask(x: 50, y: 60, mask: mask, colorIndex: 1)]))

        let color = OverlayPalette.color(1)
        let tinted = image.pixel(x: 70, y: 100)
        #expect(tinted != Colors.white && tinted != color)
        #expect(isClose(tinted, zip(color, Colors.white).map { UInt8((Double($0) * 0.4 + Double($1) * 0.6).rounded()) }, tolerance: 3))
        #expect(image.pixel(x: 50, y: 100) == color)  // outline at the mask's left edge
        #expect(image.pixel(x: 110, y: 100) == Colors.white)  // right half of the mask is empty
    }

    @Test("labels with markup characters and any Unicode render literally without throwing")
    func awkwardLabels() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodePNG(PixelImage(width: 300, height: 200, fill: Colors.grey)), to: "l.png")
        let labels = [
            "<span foreground=\"red\">x</span>", "salt & pepper", "a < b > c", "", "日本語 🍣 ünïcødé",
            "tab\tand\nnewline", String(repeating: "very long label ", count: 20),
        ]
        // One row per label, so no strip covers another.
        let boxes = labels.enumerated().map {
            OverlayBox(x: 10 + $0.offset * 30, y: 22 + $0.offset * 25, width: 25, height: 3, label: $0.element, colorIndex: $0.offset)
        }
        let image = try ImageCodec.decode(OverlayRenderer.render(imagePath: path, boxes: boxes, masks: []))
        #expect(image.width == 300)
        for (index, box) in boxes.enumerated() where !box.label.isEmpty {
            #expect(image.pixel(x: box.x + 1, y: box.y - 2) == OverlayPalette.color(index), "strip of label \(index)")
        }
    }

    @Test("boxes partly outside the picture are clipped, not refused")
    func clipping() throws {
        let directory = try TemporaryFolder(prefix: "imaging-tests")
        let path = try directory.write(ImageCodec.encodePNG(PixelImage(width: 100, height: 100, fill: Colors.grey)), to: "c.png")
        let boxes = [OverlayBox(x: -20, y: 80, width: 200, height: 50, label: "edge", colorIndex: 3)]
        let mask = OverlayMask(x: 90, y: 90, mask: PixelImage(width: 30, height: 30, bands: 1, fill: 255), colorIndex: 4)
        let image = try ImageCodec.decode(OverlayRenderer.render(imagePath: path, boxes: boxes, masks: [mask]))
        #expect(image.width == 100 && image.height == 100)
    }
}
