import DropsightTestSupport
import Foundation
import GeminiAPI
import Prompts
import Testing

@testable import Dropsight

/// `docs/sidecar.schema.json` describes every field the daemon can write, and the check can fail.
@Suite struct VisionSchemaTests {
    /// A sidecar with every field set: an ok prompt of each spatial kind, a json prompt and a failed one.
    static func fullSidecar() throws -> Sidecar {
        let at = Date(timeIntervalSince1970: 1_780_000_000.25)
        let box = PixelBox(x: 3, y: 4, width: 50, height: 60)
        var detect = PromptResult(status: .ok, kind: "detect", promptHash: "0123456789abcdef", model: "gemini-2.5-flash", completedAt: at)
        detect.modelVersion = "gemini-2.5-flash"
        detect.text = "[...]"
        detect.detections = [Detection(label: "cup", box2d: [10, 20.5, 300, -4], box: box)]
        detect.overlay = "IMG.jpg.boxes.png"
        detect.finishReason = "MAX_TOKENS"
        detect.usage = .init(UsageMetadata(promptTokenCount: 1290, candidatesTokenCount: 40, thoughtsTokenCount: 0, totalTokenCount: 1330))
        detect.sent = .init(width: 1536, height: 1152, bytes: 200_000, mimeType: "image/jpeg", estimatedTokens: 1032, transport: "file")
        detect.notes = ["item 2: box_2d is empty; dropped"]

        var segment = PromptResult(status: .ok, kind: "segment", promptHash: "fedcba9876543210", model: "gemini-2.5-flash", completedAt: at)
        let decoded = Segment(
            detection: Detection(label: "plate", box2d: [0, 0, 1000, 1000], box: box),
            maskForm: .png, maskDecoded: true, area: 1234, note: nil)
        let tokens = Segment(
            detection: Detection(label: "fork", box2d: [1, 2, 3, 4], box: box),
            maskForm: .tokens, maskDecoded: false, area: nil, note: "mask not decodable (segmentation tokens)")
        segment.segments = [PromptResult.SegmentEntry(decoded, maskFile: "IMG.jpg.shapes.mask-0.png"), PromptResult.SegmentEntry(tokens)]
        segment.masks = ["IMG.jpg.shapes.mask-0.png"]
        segment.overlay = "IMG.jpg.shapes.png"

        var json = PromptResult(status: .ok, kind: "json", promptHash: "00000000ffffffff", model: "gemini-2.5-pro", completedAt: at)
        json.json = .object([.init(key: "count", value: .number(3)), .init(key: "tags", value: .array([.string("a"), .null]))])

        var failed = PromptResult(status: .error, kind: "text", promptHash: "abcdefabcdefabcd", model: "gemini-2.5-flash", completedAt: at)
        failed.error = .init(message: "the model refused the prompt (blockReason SAFETY)", code: "blocked")

        let image = Sidecar.ImageFacts(
            file: "IMG.jpg", bytes: 123_456, sha256: String(repeating: "ab", count: 32),
            mimeType: "image/jpeg", width: 4032, height: 3024, orientation: 6)
        return Sidecar(image: image, prompts: ["boxes": detect, "shapes": segment, "facts": json, "caption": failed])
    }

    @Test func aSidecarWithEveryFieldValidates() throws {
        let temporary = try TemporaryFolder(prefix: "ds-schema")
        defer { temporary.cleanup() }
        let folder = temporary.path
        let path = folder + "/IMG.jpg" + OutputNames.sidecarSuffix
        try Self.fullSidecar().encoded().write(to: URL(fileURLWithPath: path))
        #expect(try SidecarSchema.violations(in: [path]) == [])
    }

    /// Changes to a valid sidecar that the schema must refuse.
    enum Breakage: String, CaseIterable, Sendable {
        case unknownField = "an unknown field"
        case okWithError = "an ok prompt with an error"
        case zeroWidthBox = "a box of zero width"
        case overlayInAnotherFolder = "an overlay path with a folder"

        func apply(to sidecar: inout [String: Any]) {
            guard self != .unknownField else {
                sidecar["extra"] = 1
                return
            }
            var prompts = sidecar["prompts"] as? [String: Any] ?? [:]
            var boxes = prompts["boxes"] as? [String: Any] ?? [:]
            switch self {
            case .okWithError: boxes["error"] = ["message": "x", "code": "y"]
            case .zeroWidthBox:
                boxes["detections"] = [["label": "cup", "box_2d": [1, 2, 3, 4], "box": ["x": 0, "y": 0, "width": 0, "height": 5]]]
            case .overlayInAnotherFolder: boxes["overlay"] = "../IMG.jpg.boxes.png"
            case .unknownField: break
            }
            prompts["boxes"] = boxes
            sidecar["prompts"] = prompts
        }
    }

    @Test(arguments: Breakage.allCases)
    func theSchemaRejectsWhatTheDaemonNeverWrites(_ breakage: Breakage) throws {
        let temporary = try TemporaryFolder(prefix: "ds-schema")
        defer { temporary.cleanup() }
        let folder = temporary.path
        var object = try #require(try JSONSerialization.jsonObject(with: Self.fullSidecar().encoded()) as? [String: Any])
        breakage.apply(to: &object)
        let path = folder + "/IMG.jpg" + OutputNames.sidecarSuffix
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        #expect(try !SidecarSchema.violations(in: [path]).isEmpty, "\(breakage.rawValue) was accepted")
    }
}
