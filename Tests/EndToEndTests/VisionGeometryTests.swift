import DropsightTestSupport
import Foundation
import GeminiEmulator
import Imaging
import Prompts
import Testing

@testable import Dropsight

/// Boxes, overlays and masks land on the shapes a person sees, whatever the file's orientation or format.
@Suite(.serialized, .cleansUp) struct VisionGeometryTests {
    static let prompts = """
        [prompt.boxes]
        kind = "detect"

        [prompt.shapes]
        kind = "segment"
        write_masks = true
        """

    /// The same scene stored seven ways; the emulator sees the stored pixels the daemon sends.
    static let variants: [(name: String, format: ImageFormat, orientation: Int)] = [
        ("o1.jpg", .jpeg, 1), ("o3.jpg", .jpeg, 3), ("o6.jpg", .jpeg, 6), ("o8.jpg", .jpeg, 8),
        ("plain.png", .png, 1), ("turned.webp", .webp, 6), ("plain.heic", .heic, 1),
    ]

    @Test func boxesOverlaysAndMasksCoverTheShapesInTheUprightPicture() async throws {
        let scene = VisionScene()
        let h = try await Harness(prompts: Self.prompts, folderPrompts: ["boxes", "shapes"])
        try await DaemonRun.with(h) {
            for variant in Self.variants {
                let stored = Orientation.stored(scene.upright, orientation: variant.orientation)
                let data = try ImageCodec.encode(
                    stored, format: variant.format, quality: 95,
                    orientation: variant.orientation == 1 ? nil : variant.orientation)
                try Drop.file(data, named: variant.name, in: h.inbox)
            }
            for variant in Self.variants {
                let path = h.inbox + "/" + variant.name
                let sidecar = try #require(await h.waitForSidecar(path, prompts: 2, seconds: 120), "no sidecar for \(variant.name)")
                #expect(sidecar.image.width == scene.width && sidecar.image.height == scene.height, "\(variant.name)")
                #expect(sidecar.image.orientation == variant.orientation, "\(variant.name)")
                try checkDetections(sidecar, image: path, scene: scene)
                try checkSegments(sidecar, image: path, scene: scene, folder: h.inbox)
            }
        }
        try SidecarSchema.expectValid(below: h.inbox, atLeast: Self.variants.count)
        await h.stop()
    }

    /// Polygons are rasterised onto the shapes; segmentation tokens keep box and label, with notes, and no mask file.
    @Test(arguments: [EmulatorConfiguration.MaskForm.polygon, .tokens])
    func otherMaskFormsAreRasterisedOrKeptWithANote(_ form: EmulatorConfiguration.MaskForm) async throws {
        let scene = VisionScene()
        let h = try await Harness(prompts: Self.prompts, folderPrompts: ["shapes"]) { $0.maskForm = form }
        let path = h.inbox + "/o6.jpg"
        let sidecar = try #require(
            try await DaemonRun.with(h) {
                let stored = Orientation.stored(scene.upright, orientation: 6)
                try Drop.file(try ImageCodec.encodeJPEG(stored, quality: 95, orientation: 6), named: "o6.jpg", in: h.inbox)
                return await h.waitForSidecar(path, seconds: 120)
            })
        let result = try #require(sidecar.prompts["shapes"])
        let segments = try #require(result.segments)
        #expect(segments.count == scene.shapes.count)
        let overlay = try ImageCodec.decodeFile(path: path + ".shapes.png")
        for shape in scene.shapes {
            let index = try #require(segments.firstIndex { $0.label.contains(shape.color) }, "no \(shape.color) segment")
            let segment = segments[index]
            let box = segment.box
            #expect(Overlap.iou((box.x, box.y, box.width, box.height), (shape.x, shape.y, shape.width, shape.height)) >= 0.9)
            let onBorder = hasColor(overlay, OverlayPalette.color(index), nearLeftEdgeOf: shape)
            #expect(onBorder, "no box colour on the \(shape.color) shape's border")
            if form == .polygon {
                #expect(segment.maskForm == .polygon && segment.maskDecoded)
                let mask = try ImageCodec.decodeFile(path: h.inbox + "/" + (try #require(segment.maskFile)))
                let iou = Overlap.maskIoU(mask: mask, x: box.x, y: box.y, shape: shape, width: scene.width, height: scene.height)
                #expect(iou >= 0.85, "\(shape.color) polygon mask has IoU \(iou) with the shape")
            } else {
                #expect(segment.maskForm == .tokens && !segment.maskDecoded && segment.maskFile == nil)
                #expect(segment.note?.contains("segmentation tokens") == true, "\(segment.note ?? "")")
            }
        }
        if form == .tokens {
            #expect(result.masks == nil)
            #expect(result.notes?.contains { $0.contains("3 masks came back as segmentation tokens") } == true, "\(result.notes ?? [])")
            #expect(!FileManager.default.fileExists(atPath: path + ".shapes.mask-0.png"))
        }
        try SidecarSchema.expectValid(below: h.inbox)
        await h.stop()
    }

    private func checkDetections(_ sidecar: Sidecar, image: String, scene: VisionScene) throws {
        let name = sidecar.image.file
        let result = try #require(sidecar.prompts["boxes"], "\(name): no boxes result")
        #expect(result.status == .ok, "\(name): \(result.error?.message ?? "")")
        let detections = try #require(result.detections, "\(name): no detections")
        #expect(detections.count == scene.shapes.count, "\(name): \(detections.map(\.label))")
        #expect(result.overlay == name + ".boxes.png")
        let overlay = try ImageCodec.decodeFile(path: image + ".boxes.png")
        #expect(overlay.width == scene.width && overlay.height == scene.height, "\(name): overlay \(overlay.width)x\(overlay.height)")
        for shape in scene.shapes {
            let index = try #require(detections.firstIndex { $0.label.contains(shape.color) }, "\(name): no \(shape.color) box")
            let box = detections[index].box
            let iou = Overlap.iou((box.x, box.y, box.width, box.height), (shape.x, shape.y, shape.width, shape.height))
            #expect(iou >= 0.9, "\(name): \(shape.color) box \(box) has IoU \(iou) with the shape")
            let onBorder = hasColor(overlay, OverlayPalette.color(index), nearLeftEdgeOf: shape)
            #expect(onBorder, "\(name): no box colour on the \(shape.color) shape's border")
        }
    }

    private func checkSegments(_ sidecar: Sidecar, image: String, scene: VisionScene, folder: String) throws {
        let name = sidecar.image.file
        let result = try #require(sidecar.prompts["shapes"], "\(name): no shapes result")
        #expect(result.status == .ok, "\(name): \(result.error?.message ?? "")")
        let segments = try #require(result.segments, "\(name): no segments")
        #expect(segments.count == scene.shapes.count, "\(name): \(segments.map(\.label))")
        #expect(result.masks == segments.compactMap(\.maskFile))
        let overlay = try ImageCodec.decodeFile(path: image + ".shapes.png")
        for shape in scene.shapes {
            let index = try #require(segments.firstIndex { $0.label.contains(shape.color) }, "\(name): no \(shape.color) segment")
            let segment = segments[index]
            #expect(segment.maskForm == .png && segment.maskDecoded, "\(name): \(segment.note ?? "")")
            #expect(segment.maskFile == "\(name).shapes.mask-\(index).png")
            let file = try #require(segment.maskFile)
            let mask = try ImageCodec.decodeFile(path: folder + "/" + file)
            #expect(mask.width == segment.box.width && mask.height == segment.box.height)
            let iou = Overlap.maskIoU(
                mask: mask, x: segment.box.x, y: segment.box.y, shape: shape, width: scene.width, height: scene.height)
            #expect(iou >= 0.85, "\(name): \(shape.color) mask has IoU \(iou) with the shape")
            #expect(mask.bands == 1 && segment.area == mask.pixels.count(where: { $0 != 0 }))
            let onBorder = hasColor(overlay, OverlayPalette.color(index), nearLeftEdgeOf: shape)
            #expect(onBorder, "\(name): no mask/box colour on the \(shape.color) shape's border")
        }
    }

    /// Whether a pixel within 2 px of the shape's leftmost edge, at its middle height, is exactly `color`.
    private func hasColor(_ overlay: PixelImage, _ color: [UInt8], nearLeftEdgeOf shape: VisionScene.Shape) -> Bool {
        let y = shape.y + shape.height / 2
        return (shape.x - 2...shape.x + 2).contains { x in
            x >= 0 && x < overlay.width && Array(overlay.pixel(x: x, y: y).prefix(3)) == color
        }
    }
}
