import DropsightTestSupport
import Foundation
import Imaging
import Prompts
import Testing

@testable import Dropsight

/// A parsed segment reply drawn by `OverlayWriter`: the colours land where the reply said.
@Suite struct OverlayWriterTests {
    @Test func segmentMaskAndBoxAreDrawnAtTheirPlaces() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ds-overlay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let picture = folder + "/grey.png"
        try ImageCodec.encodePNG(PixelImage(width: 400, height: 200, fill: [128, 128, 128])).write(to: URL(fileURLWithPath: picture))

        // Item 0: a box on the left half with a polygon filling it. Item 1: a box only (tokens mask).
        let reply =
            #"[{"box_2d": [100, 50, 900, 450], "mask": [[100, 50], [100, 450], [900, 450], [900, 50]], "label": "<b>left</b>"}, "#
            + #"{"box_2d": [100, 600, 900, 900], "mask": "<start_of_mask><seg_1>", "label": "right"}]"#
        let reading = DetectionsReader.segments(text: reply, imageWidth: 400, imageHeight: 200, threshold: 127)
        #expect(
            reading.boxes.map(\.box) == [
                PixelBox(x: 20, y: 20, width: 160, height: 160),
                PixelBox(x: 240, y: 20, width: 120, height: 160),
            ])
        #expect(reading.masks.keys.sorted() == [0])
        #expect(reading.masks[0].map { [$0.width, $0.height] } == [160, 160])

        let writer = OverlayWriter(output: SafeOutput(directory: folder), names: OutputNames(imageName: "grey.png"), promptName: "p")
        let written = writer.writeOverlay(
            subject: try ImageSubject(path: picture, maxPixels: 100_000_000), mode: .composite, maxSide: 2048, reading: reading)
        #expect(written.name == "grey.png.p.png" && written.note == nil)
        let overlay = try ImageCodec.decodeFile(path: folder + "/grey.png.p.png")
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

    /// `overlay = "layer"`: the same drawing on a transparent RGBA PNG of the composite's size; `off`: no file, and an
    /// earlier overlay removed.
    @Test func aLayerHoldsOnlyTheDrawingAndOffWritesNothing() throws {
        let temporary = try TemporaryFolder(prefix: "ds-layer")
        defer { temporary.cleanup() }
        let folder = temporary.path
        let picture = folder + "/grey.png"
        try ImageCodec.encodePNG(PixelImage(width: 800, height: 400, fill: [128, 128, 128])).write(to: URL(fileURLWithPath: picture))
        let reply = #"[{"box_2d": [100, 50, 900, 450], "mask": [[100, 50], [100, 450], [900, 450], [900, 50]], "label": "left"}]"#
        let reading = DetectionsReader.segments(text: reply, imageWidth: 800, imageHeight: 400, threshold: 127)
        let writer = OverlayWriter(output: SafeOutput(directory: folder), names: OutputNames(imageName: "grey.png"), promptName: "p")
        let subject = try ImageSubject(path: picture, maxPixels: 100_000_000)

        let layer = writer.writeOverlay(subject: subject, mode: .layer, maxSide: 400, reading: reading)
        #expect(layer.name == "grey.png.p.png" && layer.note == nil)
        let image = try ImageCodec.decodeFile(path: folder + "/grey.png.p.png")
        #expect(image.width == 400 && image.height == 200 && image.bands == 4)
        #expect(image.pixel(x: 395, y: 195) == [0, 0, 0, 0], "outside every box: transparent")
        #expect(image.pixel(x: 20, y: 100) == OverlayPalette.color(0) + [255], "the box's border: opaque, in its colour")
        let tint = image.pixel(x: 100, y: 100)
        #expect(Array(tint.prefix(3)) == OverlayPalette.color(0) && (90...115).contains(tint[3]), "the mask: its colour at 40 %: \(tint)")

        let off = writer.writeOverlay(subject: subject, mode: .off, maxSide: 400, reading: reading)
        #expect(off.name == nil && off.note == nil)
        #expect(!FileManager.default.fileExists(atPath: folder + "/grey.png.p.png"), "the earlier overlay is removed")
    }
}
