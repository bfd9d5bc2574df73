import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import GeminiEmulator

/// Answers derived from the pixels of generated images, over the wire.
@Suite(.cleansUp) struct PixelAnswerTests {
    static let red: [UInt8] = [255, 0, 0]
    static let blue: [UInt8] = [0, 0, 255]
    static let white: [UInt8] = [255, 255, 255]

    /// A white 200x400 PNG with a red square at x 50..99, y 100..149: box [250, 250, 375, 500].
    static func redSquarePNG() throws -> Data {
        var image = PixelImage(width: 200, height: 400, fill: white)
        image.fillRect(x: 50, y: 100, width: 50, height: 50, color: red)
        return try ImageCodec.encodePNG(image)
    }

    static func request(_ images: [(Data, String)], prompt: String, config: String = "{}") -> String {
        let parts = images.map { #"{"inline_data": {"mime_type": "\#($0.1)", "data": "\#($0.0.base64EncodedString())"}}"# }
        return
            #"{"contents": [{"role": "user", "parts": [\#(parts.joined(separator: ",")), {"text": "\#(prompt)"}]}], "generationConfig": \#(config)}"#
    }

    func answer(_ emulator: EmulatorHarness, _ body: String) async throws -> String {
        let reply = try await emulator.postJSON("/v1beta/models/gemini-2.5-flash:generateContent", body)
        #expect(reply.status == 200, "\(reply.text)")
        return try #require(reply.json?["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.last?["text"]?.stringValue)
    }

    /// The JSON inside a ```json fence.
    func fenced(_ text: String) throws -> WireJSON {
        let inner = try #require(text.components(separatedBy: "```json\n").last?.components(separatedBy: "\n```").first)
        return try WireJSONParser.parse(Data(inner.utf8))
    }

    @Test func detectionBoxLandsOnTheRedSquare() async throws {
        let emulator = try await EmulatorHarness.start()
        let text = try await answer(
            emulator,
            Self.request(
                [(try Self.redSquarePNG(), "image/png")],
                prompt: "Detect the objects and give their bounding boxes."))

        #expect(text.hasPrefix("```json\n"))
        let items = try #require(try fenced(text).arrayValue)
        #expect(items.count == 1)
        #expect(items[0]["box_2d"] == .array([.int(250), .int(250), .int(375), .int(500)]))
        #expect(items[0]["label"] == .string("red square"))
        await emulator.stop()
    }

    @Test func boxesOnLargeImagesAreExactToo() async throws {
        // 2400x1200 is analysed on a coarse grid; the edges are refined on the full pixels.
        var image = PixelImage(width: 2400, height: 1200, fill: Self.white)
        image.fillRect(x: 1001, y: 301, width: 500, height: 400, color: Self.red)
        let emulator = try await EmulatorHarness.start { $0.replyDressing = .bare }

        let text = try await answer(emulator, Self.request([(try ImageCodec.encodePNG(image), "image/png")], prompt: "detect"))

        let box = try #require(try WireJSONParser.parse(Data(text.utf8)).arrayValue?.first?["box_2d"]?.arrayValue?.compactMap(\.intValue))
        // x 1001..1500 -> 417..626 (1501000/2400 rounded up), y 301..700 -> 250..585.
        #expect(box == [250, 417, 585, 626])
        await emulator.stop()
    }

    @Test func theRedSquaresMaskCoversItsWholeBox() async throws {
        let emulator = try await EmulatorHarness.start()
        let text = try await answer(
            emulator,
            Self.request(
                [(try Self.redSquarePNG(), "image/png")],
                prompt: "Output a segmentation mask for each object."))

        let item = try #require(try fenced(text).arrayValue?.first)
        #expect(item["box_2d"] == .array([.int(250), .int(250), .int(375), .int(500)]))
        let dataURL = try #require(item["mask"]?.stringValue)
        let mask = try ImageCodec.decode(try #require(Data(base64Encoded: String(dataURL.dropFirst(22)))))
        #expect(mask.width == 256 && mask.height == 256 && mask.bands == 1)
        #expect(mask.pixels.allSatisfy { $0 == 255 })
        await emulator.stop()
    }

    @Test func segmentationMaskIsA256GrayPNGCoveringTheObject() async throws {
        // A red plus sign: its box corners are background, so the mask must be 0 there.
        var image = PixelImage(width: 120, height: 120, fill: Self.white)
        image.fillRect(x: 40, y: 20, width: 30, height: 90, color: Self.red)
        image.fillRect(x: 10, y: 50, width: 90, height: 30, color: Self.red)
        let emulator = try await EmulatorHarness.start()
        let text = try await answer(
            emulator,
            Self.request(
                [(try ImageCodec.encodePNG(image), "image/png")],
                prompt: "Give the segmentation masks of the objects."))

        let item = try #require(try fenced(text).arrayValue?.first)
        #expect(item["label"] == .string("red object"))
        #expect(item["box_2d"] == .array([.int(166), .int(83), .int(917), .int(834)]))
        let dataURL = try #require(item["mask"]?.stringValue)
        #expect(dataURL.hasPrefix("data:image/png;base64,"))
        let png = try #require(Data(base64Encoded: String(dataURL.dropFirst("data:image/png;base64,".count))))
        let mask = try ImageCodec.decode(png)
        #expect(mask.width == 256 && mask.height == 256 && mask.bands == 1)
        // Box is x 10..99, y 20..109; mask pixel (u, v) maps to x = 10 + u*90/256, y = 20 + v*90/256.
        #expect(mask[128, 128] == 255)  // centre of the plus
        #expect(mask[128, 5] == 255)  // top of the vertical bar
        #expect(mask[5, 128] == 255)  // left of the horizontal bar
        #expect(mask[5, 5] == 0)  // top-left corner is background
        #expect(mask[250, 250] == 0)  // bottom-right corner too
        let covered = mask.pixels.filter { $0 > 127 }.count
        let expected = 4500.0 / 8100.0  // the plus covers 30*90 + 90*30 - 30*30 of its 90x90 box
        #expect(abs(Double(covered) / Double(256 * 256) - expected) < 0.02)
        await emulator.stop()
    }

    @Test func masksCanComeAsTokensOrPolygons() async throws {
        let tokens = try await EmulatorHarness.start {
            $0.maskForm = .tokens
            $0.replyDressing = .bare
        }
        let tokenText = try await answer(tokens, Self.request([(try Self.redSquarePNG(), "image/png")], prompt: "segmentation mask"))
        let tokenMask = try #require(try WireJSONParser.parse(Data(tokenText.utf8)).arrayValue?.first?["mask"]?.stringValue)
        #expect(tokenMask.hasPrefix("<start_of_mask><seg_"))
        #expect(tokenMask.components(separatedBy: "<seg_").count == 17)
        await tokens.stop()

        let polygons = try await EmulatorHarness.start {
            $0.maskForm = .polygon
            $0.replyDressing = .bare
        }
        let polygonText = try await answer(polygons, Self.request([(try Self.redSquarePNG(), "image/png")], prompt: "segmentation mask"))
        let points = try #require(try WireJSONParser.parse(Data(polygonText.utf8)).arrayValue?.first?["mask"]?.arrayValue)
        let pairs = points.compactMap { $0.arrayValue?.compactMap(\.intValue) }
        #expect(Set(pairs.map { $0 }) == Set([[250, 250], [250, 500], [375, 250], [375, 500]]))
        await polygons.stop()
    }

    @Test func proseDressingWrapsTheFenceInSentences() async throws {
        let emulator = try await EmulatorHarness.start { $0.replyDressing = .prose }
        let text = try await answer(emulator, Self.request([(try Self.redSquarePNG(), "image/png")], prompt: "bounding boxes please"))
        #expect(text.hasPrefix("Here are the bounding box detections:\n```json\n["))
        #expect(text.hasSuffix("I found 1 object against the white background."))
        await emulator.stop()
    }

    @Test func exifOrientationIsIgnoredLikeAModelDoes() async throws {
        // Stored pixels: red block in the top-left corner; EXIF says "rotate 90° clockwise".
        var image = PixelImage(width: 160, height: 80, fill: Self.white)
        image.fillRect(x: 0, y: 0, width: 40, height: 40, color: Self.red)
        let jpeg = try ImageCodec.encodeJPEG(image, quality: 95, orientation: 6)
        let emulator = try await EmulatorHarness.start { $0.replyDressing = .bare }

        let text = try await answer(emulator, Self.request([(jpeg, "image/jpeg")], prompt: "detect objects"))

        let box = try #require(try WireJSONParser.parse(Data(text.utf8)).arrayValue?.first?["box_2d"]?.arrayValue?.compactMap(\.intValue))
        #expect(box == [0, 0, 500, 250])
        await emulator.stop()
    }

    @Test func captionsNameSizeAndObjectsAndCompareImages() async throws {
        var second = PixelImage(width: 300, height: 200, fill: Self.white)
        second.fillRect(x: 10, y: 10, width: 30, height: 30, color: Self.red)
        second.fillRect(x: 200, y: 100, width: 60, height: 60, color: Self.blue)
        let emulator = try await EmulatorHarness.start()

        let single = try await answer(emulator, Self.request([(try Self.redSquarePNG(), "image/png")], prompt: "Describe the image."))
        let compared = try await answer(
            emulator,
            Self.request(
                [(try Self.redSquarePNG(), "image/png"), (try ImageCodec.encodePNG(second), "image/png")],
                prompt: "How do these two images differ?"
            ))

        #expect(single == "A 200x400 image with a white background showing a red square at the top center.")
        #expect(compared.contains("Image 1: A 200x400 image"))
        #expect(compared.contains("Image 2: A 300x200 image"))
        #expect(compared.contains("All images show a red square."))
        #expect(compared.contains("Only image 2 shows a blue square."))
        await emulator.stop()
    }

    @Test func usageCountsImageTilesAndMediaResolution() async throws {
        // 960x540 -> unit 360 -> 3 x 2 tiles -> 1548 tokens; the prompt "x" is 1 text token.
        let big = try ImageCodec.encodePNG(PixelImage(width: 960, height: 540, fill: Self.white))
        let emulator = try await EmulatorHarness.start()

        let tiled = try await emulator.postJSON(
            "/v1beta/models/gemini-2.0-flash:generateContent",
            Self.request([(big, "image/png")], prompt: "x"))
        let low = try await emulator.postJSON(
            "/v1beta/models/gemini-2.0-flash:generateContent",
            Self.request(
                [(big, "image/png")], prompt: "x",
                config: #"{"media_resolution": "MEDIA_RESOLUTION_LOW"}"#))

        #expect(tiled.json?["usageMetadata"]?["promptTokenCount"] == .int(1549))
        #expect(
            tiled.json?["usageMetadata"]?["promptTokensDetails"]
                == .array([
                    .object([("modality", .string("TEXT")), ("tokenCount", .int(1))]),
                    .object([("modality", .string("IMAGE")), ("tokenCount", .int(1548))]),
                ]))
        #expect(low.json?["usageMetadata"]?["promptTokenCount"] == .int(65))
        await emulator.stop()
    }
}
