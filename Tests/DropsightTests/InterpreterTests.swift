import DropsightTestSupport
import Foundation
import Imaging
import Logging
import Prompts
import Testing

@testable import Dropsight

/// What `Interpreter` leaves in the result and on disk for each kind of reply.
@Suite struct InterpreterTests {
    /// A folder with one 400x300 JPEG (white, a red block at 100,75 of 200x150).
    struct Scene {
        let temporary: TemporaryFolder
        let folder: String
        let image: String
        let subject: ImageSubject

        init(width: Int = 400, height: Int = 300) throws {
            temporary = try TemporaryFolder(prefix: "ds-interp")
            folder = temporary.path
            var pixels = PixelImage(width: width, height: height, bands: 3, fill: 255)
            pixels.fillRect(x: width / 4, y: height / 4, width: width / 2, height: height / 2, color: [200, 30, 30])
            image = folder + "/IMG.jpg"
            try ImageCodec.encodeJPEG(pixels).write(to: URL(fileURLWithPath: image))
            subject = try ImageSubject(path: image, maxPixels: 100_000_000)
        }

        /// `model` decides how polygon points are read: `[y, x]` on 2.5, `[x, y]` on 3.x.
        func run(
            _ kind: PromptKind, _ reply: String, name: String = "p", finishReason: String = "STOP", output: String? = nil,
            model: String = "gemini-2.5-flash", subject: ImageSubject? = nil,
            configure: (inout PromptSettings) -> Void = { _ in }
        ) async -> (result: PromptResult, written: [String]) {
            var prompt = PromptSettings(name: name, kind: kind, text: "find things")
            configure(&prompt)
            var result = PromptResult(status: .ok, kind: kind.rawValue, promptHash: "0000000000000000", model: model, completedAt: Date())
            result.finishReason = finishReason
            let written = await Interpreter.interpret(
                text: reply, prompt: prompt, subject: subject ?? self.subject,
                output: SafeOutput(directory: output ?? folder), into: &result,
                logger: Logger(label: "test"))
            return (result, written)
        }

        func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }
        func remove() { temporary.cleanup() }
    }

    static func masks(_ count: Int) -> String {
        let items = (0..<count).map { i in
            #"{"box_2d": [\#(100 * i), 0, \#(100 * i + 90), 500], "label": "strip \#(i)", "points": [[\#(100 * i), 0], [\#(100 * i), 500], [\#(100 * i + 90), 500], [\#(100 * i + 90), 0]]}"#
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    @Test func jsonIsFoundInsideProseAndFences() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let (result, written) = await scene.run(
            .json, "Sure! Here it is:\n```json\n{\"count\": 2, \"colors\": [\"red\", NaN]}\n```\nAnything else?")
        guard case .object(let members) = result.json, case .array(let colors)? = result.json?["colors"] else {
            Issue.record("no object with a colors list: \(String(describing: result.json))")
            return
        }
        #expect(members.map(\.key) == ["count", "colors"])
        #expect(result.json?["count"] == .number(2))
        #expect(colors.count == 2 && colors.first == .string("red"))
        guard case .number(let missing)? = colors.last else {
            Issue.record("colors[1] is not a number")
            return
        }
        #expect(missing.isNaN)
        #expect(result.notes == ["text around the JSON was ignored"])
        #expect(written.isEmpty)
        // A non-finite number is written as null, so the sidecar stays valid JSON.
        let encoded = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(encoded.contains(#""colors":["red",null]"#))
    }

    @Test func aJSONPromptWithoutJSONKeepsTheTextAndSaysSo() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let (result, _) = await scene.run(.json, "I cannot tell from this picture.")
        #expect(result.json == nil)
        #expect(result.status == .ok)
        #expect(result.notes == ["no JSON found in the reply"])
    }

    @Test func aReplyCutAtMaxTokensKeepsEveryCompleteItem() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let reply =
            "```json\n[{\"box_2d\": [250, 250, 750, 750], \"label\": \"red block\"}, {\"box_2d\": [0, 0, 100, 100], \"label\": \"corner\"}, {\"box_2d\": [5"
        let (result, written) = await scene.run(.detect, reply, finishReason: "MAX_TOKENS")
        #expect(result.detections?.map(\.label) == ["red block", "corner"])
        #expect(result.detections?.first?.box == PixelBox(x: 100, y: 75, width: 200, height: 150))
        let notes = result.notes ?? []
        #expect(notes.contains { $0.contains("MAX_TOKENS") })
        #expect(notes.contains("reply was cut off; kept the 2 complete items before the cut"))
        #expect(written == ["IMG.jpg.p.png"])
        #expect(result.overlay == "IMG.jpg.p.png")
    }

    @Test func aTextReplyFillsNothingElse() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let (result, written) = await scene.run(.text, "A red block on white.")
        #expect(result.json == nil && result.detections == nil && result.segments == nil && result.notes == nil)
        #expect(written.isEmpty)
        #expect(scene.files() == ["IMG.jpg"])
    }

    @Test func masksFromAnEarlierRunThatFoundMoreAreRemoved() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let three = await scene.run(.segment, Self.masks(3)) { $0.writeMasks = true }
        #expect(three.result.masks == ["IMG.jpg.p.mask-0.png", "IMG.jpg.p.mask-1.png", "IMG.jpg.p.mask-2.png"])
        #expect(three.result.segments?.map(\.maskForm) == [.polygon, .polygon, .polygon])
        #expect(scene.files() == ["IMG.jpg", "IMG.jpg.p.mask-0.png", "IMG.jpg.p.mask-1.png", "IMG.jpg.p.mask-2.png", "IMG.jpg.p.png"])

        let one = await scene.run(.segment, Self.masks(1)) { $0.writeMasks = true }
        #expect(one.result.masks == ["IMG.jpg.p.mask-0.png"])
        #expect(scene.files() == ["IMG.jpg", "IMG.jpg.p.mask-0.png", "IMG.jpg.p.png"])

        let none = await scene.run(.segment, Self.masks(2))
        #expect(none.result.masks == nil && none.result.segments?.count == 2)
        #expect(none.result.segments?.allSatisfy { $0.maskFile == nil && $0.maskDecoded } == true)
        #expect(scene.files() == ["IMG.jpg", "IMG.jpg.p.png"])
    }

    @Test func aMaskIsTheSizeOfItsBoxWith255Inside() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let (result, _) = await scene.run(.segment, Self.masks(1)) { $0.writeMasks = true }
        let segment = try #require(result.segments?.first)
        #expect(segment.box == PixelBox(x: 0, y: 0, width: 200, height: 27))
        let mask = try ImageCodec.decodeFile(path: scene.folder + "/IMG.jpg.p.mask-0.png")
        #expect(mask.width == 200 && mask.height == 27 && mask.bands == 1)
        #expect(Set(mask.pixels) == [255])
        #expect(segment.area == 200 * 27)
    }

    /// Gemini 3 polygons come as `[x, y]` points in a `{"boxes": [...]}` object (the newest docs' schema).
    @Test func aGemini3PolygonIsReadXFirstFromTheBoxesObject() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let reply = #"{"boxes": [{"box_2d": [0, 0, 90, 500], "mask": [[0, 0], [500, 0], [500, 90], [0, 90]], "label": "strip"}]}"#
        let (result, _) = await scene.run(.segment, reply, model: "gemini-3.8-flash") { $0.writeMasks = true }
        let segment = try #require(result.segments?.first)
        #expect(segment.box == PixelBox(x: 0, y: 0, width: 200, height: 27))
        #expect(segment.maskForm == .polygon && segment.area == 200 * 27)
        #expect(result.notes == nil, "the documented object form needs no note")
        let yFirst = await scene.run(.segment, reply, model: "gemini-2.5-flash")
        #expect(yFirst.result.segments?.first?.area != 200 * 27, "read y first, the same points make another shape")
    }

    @Test func aPlantedSymlinkIsReplacedNotFollowed() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let victim = scene.folder + "/victim.txt"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        #expect(symlink(victim, scene.folder + "/IMG.jpg.p.png") == 0)
        #expect(symlink(victim, scene.folder + "/IMG.jpg.p.mask-0.png") == 0)
        let (result, _) = await scene.run(.segment, Self.masks(1)) { $0.writeMasks = true }
        #expect(result.overlay == "IMG.jpg.p.png")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me")
        let overlay = try FileManager.default.attributesOfItem(atPath: scene.folder + "/IMG.jpg.p.png")
        #expect(overlay[.type] as? FileAttributeType == .typeRegular)
        let mask = try FileManager.default.attributesOfItem(atPath: scene.folder + "/IMG.jpg.p.mask-0.png")
        #expect(mask[.type] as? FileAttributeType == .typeRegular)
    }

    @Test func theOverlayIsCappedAtOverlayMaxSide() async throws {
        let scene = try Scene(width: 1600, height: 800)
        defer { scene.remove() }
        _ = await scene.run(.detect, #"[{"box_2d": [250, 250, 750, 750], "label": "red"}]"#) { $0.overlayMaxSide = 400 }
        let overlay = try ImageCodec.decodeFile(path: scene.folder + "/IMG.jpg.p.png")
        #expect(overlay.width == 400 && overlay.height == 200)
        // The box's left edge at x = 400 of 1600 lands at x = 100 of 400, in palette colour 0.
        #expect(overlay.pixel(x: 100, y: 100) == OverlayPalette.color(0))
    }

    @Test func outputsGoToAMirrorFolderThatDoesNotExistYet() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        let mirror = scene.folder + "/mirror/deeper"
        let (result, _) = await scene.run(.segment, Self.masks(1), output: mirror) { $0.writeMasks = true }
        #expect(result.overlay == "IMG.jpg.p.png")
        #expect(
            ((try? FileManager.default.contentsOfDirectory(atPath: mirror)) ?? []).sorted() == ["IMG.jpg.p.mask-0.png", "IMG.jpg.p.png"])
    }

    @Test func anOverlayThatCannotBeDrawnIsANoteAndTheOldOneGoes() async throws {
        let scene = try Scene()
        defer { scene.remove() }
        _ = await scene.run(.detect, #"[{"box_2d": [250, 250, 750, 750], "label": "red"}]"#)
        #expect(scene.files().contains("IMG.jpg.p.png"))
        // A subject probed before the file broke, with no overlay picture decoded yet (the first run's subject
        // keeps the picture it decoded, so it would still draw).
        let probedBefore = try ImageSubject(path: scene.image, maxPixels: 100_000_000)
        try Data("no longer a picture".utf8).write(to: URL(fileURLWithPath: scene.image))
        let (result, written) = await scene.run(
            .detect, #"[{"box_2d": [250, 250, 750, 750], "label": "red"}]"#, subject: probedBefore)
        #expect(result.detections?.count == 1)
        #expect(result.overlay == nil && written.isEmpty)
        #expect(result.notes?.contains { $0.hasPrefix("overlay not drawn:") } == true, "\(result.notes ?? [])")
        #expect(!scene.files().contains("IMG.jpg.p.png"))
    }
}
