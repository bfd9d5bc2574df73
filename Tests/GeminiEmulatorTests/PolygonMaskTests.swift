import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import GeminiEmulator

/// Gemini 3.x segmentation (catalogue 2026): polygon outlines of `[x, y]` points on the whole
/// image's 0-1000 grid, and the `{"boxes": [...]}` object form of the newest docs.
@Suite(.cleansUp) struct PolygonMaskTests {
    static let red: [UInt8] = [255, 0, 0]
    static let white: [UInt8] = [255, 255, 255]

    /// The `boxes` schema of the image-understanding page (gemini-api-2026.md §4); `mask` optional.
    static func boxesSchema(withMask: Bool) -> String {
        let mask = withMask ? #", "mask": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}"# : ""
        let required = withMask ? #"["box_2d", "mask", "label"]"# : #"["box_2d", "label"]"#
        return
            #"{"type": "object", "properties": {"boxes": {"type": "array", "items": {"type": "object", "properties": {"box_2d": {"type": "array", "items": {"type": "integer"}}\#(mask), "label": {"type": "string"}}, "required": \#(required)}}}, "required": ["boxes"]}"#
    }

    func answer(
        _ emulator: EmulatorHarness, model: String = "gemini-3.8-flash", _ image: PixelImage, prompt: String, config: String
    )
        async throws -> WireJSON
    {
        let reply = try await emulator.postJSON(
            "/v1beta/models/\(model):generateContent",
            PixelAnswerTests.request([(try ImageCodec.encodePNG(image), "image/png")], prompt: prompt, config: config))
        #expect(reply.status == 200, "\(reply.text)")
        return try WireJSONParser.parse(Data(try #require(reply.answer).utf8))
    }

    static func points(_ mask: WireJSON?) -> [[Int]] {
        mask?.arrayValue?.compactMap { $0.arrayValue?.compactMap(\.intValue).map(Int.init) } ?? []
    }

    /// Whether the centre of pixel (x, y) of a `width` x `height` image lies inside `polygon`
    /// (`[x, y]` on the 0-1000 grid), by the even-odd rule.
    static func covers(_ polygon: [[Int]], x: Int, y: Int, width: Int, height: Int) -> Bool {
        let px = (Double(x) + 0.5) * 1000 / Double(width)
        let py = (Double(y) + 0.5) * 1000 / Double(height)
        var inside = false
        for (index, a) in polygon.enumerated() {
            let b = polygon[(index + 1) % polygon.count]
            let (ax, ay, bx, by) = (Double(a[0]), Double(a[1]), Double(b[0]), Double(b[1]))
            if (ay > py) != (by > py), px < ax + (py - ay) * (bx - ax) / (by - ay) { inside.toggle() }
        }
        return inside
    }

    /// Pixels where `image` is red and `polygon` covers them, and where only one of the two holds.
    static func overlap(_ polygon: [[Int]], _ image: PixelImage) -> (both: Int, either: Int) {
        var both = 0
        var either = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let red = image[x, y, 1] == 0
                let covered = covers(polygon, x: x, y: y, width: image.width, height: image.height)
                if red && covered { both += 1 }
                if red || covered { either += 1 }
            }
        }
        return (both, either)
    }

    @Test func aPlusSignsOutlineCoversExactlyItsPixels() async throws {
        var image = PixelImage(width: 120, height: 120, fill: Self.white)
        image.fillRect(x: 40, y: 20, width: 30, height: 90, color: Self.red)
        image.fillRect(x: 10, y: 50, width: 90, height: 30, color: Self.red)
        let emulator = try await EmulatorHarness.start(catalog: .y2026) { $0.replyDressing = .bare }

        let items = try await answer(emulator, image, prompt: "Give the segmentation masks of the objects.", config: "{}")

        let item = try #require(items.arrayValue?.first)
        #expect(item["box_2d"] == .array([.int(166), .int(83), .int(917), .int(834)]))
        let polygon = Self.points(item["mask"])
        #expect(polygon.count == 12)
        let overlap = Self.overlap(polygon, image)
        #expect(overlap.both == 4500 && overlap.either == 4500)
        await emulator.stop()
    }

    @Test func pointsAreXFirstOnTheWholeImage() async throws {
        // Red block at x 300..379, y 20..59 of a 400x200 image: box_2d [100, 750, 300, 950] (y first).
        var image = PixelImage(width: 400, height: 200, fill: Self.white)
        image.fillRect(x: 300, y: 20, width: 80, height: 40, color: Self.red)
        let emulator = try await EmulatorHarness.start(catalog: .y2026)

        let items = try await answer(
            emulator, image, prompt: "Output a segmentation mask for each object.", config: #"{"responseMimeType": "application/json"}"#)

        let item = try #require(items.arrayValue?.first)
        #expect(item["box_2d"] == .array([.int(100), .int(750), .int(300), .int(950)]))
        #expect(Self.points(item["mask"]) == [[750, 100], [950, 100], [950, 300], [750, 300]])
        await emulator.stop()
    }

    @Test func aLargeDiscsOutlineIsShortAndTight() async throws {
        // 2000x1500 is analysed on a 2-pixel grid; the outline is thinned to a few dozen points.
        var image = PixelImage(width: 2000, height: 1500, fill: Self.white)
        for y in 300..<1100 {
            for x in 600..<1400 where (x - 1000) * (x - 1000) + (y - 700) * (y - 700) < 400 * 400 {
                image.fillRect(x: x, y: y, width: 1, height: 1, color: Self.red)
            }
        }
        let emulator = try await EmulatorHarness.start(catalog: .y2026) { $0.replyDressing = .bare }

        let items = try await answer(emulator, image, prompt: "segmentation masks", config: "{}")

        let polygon = Self.points(items.arrayValue?.first?["mask"])
        #expect((8...200).contains(polygon.count), "\(polygon.count) points")
        let overlap = Self.overlap(polygon, image)
        #expect(Double(overlap.both) / Double(overlap.either) > 0.98)
        await emulator.stop()
    }

    @Test func theBoxesSchemaGetsTheObjectFormWithPolygons() async throws {
        var image = PixelImage(width: 400, height: 200, fill: Self.white)
        image.fillRect(x: 300, y: 20, width: 80, height: 40, color: Self.red)
        image.fillRect(x: 20, y: 100, width: 40, height: 40, color: [0, 0, 255])
        let emulator = try await EmulatorHarness.start(catalog: .y2026)

        let segmented = try await answer(
            emulator, image, prompt: "Give the segmentation masks.",
            config:
                #"{"responseMimeType": "application/json", "responseJsonSchema": \#(Self.boxesSchema(withMask: true)), "thinkingConfig": {"thinkingLevel": "low"}}"#
        )
        let detected = try await answer(
            emulator, image, prompt: "Detect the objects.",
            config: #"{"responseMimeType": "application/json", "responseJsonSchema": \#(Self.boxesSchema(withMask: false))}"#)

        let boxes = try #require(segmented["boxes"]?.arrayValue)
        #expect(boxes.count == 2)
        #expect(boxes[0].objectPairs?.map(\.0) == ["box_2d", "mask", "label"])
        #expect(boxes[0]["box_2d"] == .array([.int(100), .int(750), .int(300), .int(950)]))
        #expect(Self.points(boxes[0]["mask"]) == [[750, 100], [950, 100], [950, 300], [750, 300]])
        #expect(boxes[0]["label"] == .string("red square"))
        #expect(Self.points(boxes[1]["mask"]) == [[50, 500], [150, 500], [150, 700], [50, 700]])
        #expect(
            detected
                == .object([
                    (
                        "boxes",
                        .array([
                            .object([("box_2d", .array([.int(100), .int(750), .int(300), .int(950)])), ("label", .string("red square"))]),
                            .object([("box_2d", .array([.int(500), .int(50), .int(700), .int(150)])), ("label", .string("blue square"))]),
                        ])
                    )
                ]))
        await emulator.stop()
    }

    @Test func gemini25KeepsPNGMasksIn2026() async throws {
        var image = PixelImage(width: 200, height: 400, fill: Self.white)
        image.fillRect(x: 50, y: 100, width: 50, height: 50, color: Self.red)
        let emulator = try await EmulatorHarness.start(catalog: .y2026) {
            $0.extraModels = ["gemini-2.5-flash"]
            $0.replyDressing = .bare
        }

        let items = try await answer(emulator, model: "gemini-2.5-flash", image, prompt: "segmentation mask", config: "{}")

        #expect(items.arrayValue?.first?["mask"]?.stringValue?.hasPrefix("data:image/png;base64,") == true)
        await emulator.stop()
    }
}
