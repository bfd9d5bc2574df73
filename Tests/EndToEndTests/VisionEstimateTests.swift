import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import Dropsight

/// `dropsight estimate`: what each prompt would send, against what the original would cost.
@Suite struct VisionEstimateTests {
    /// On a model that pays by tiles (the 2.0 rule, the seed page's), `auto` keeps the tile count.
    @Test func autoSendsFewerBytesForTheSameTokensAndASmallCapSendsOneTile() throws {
        let temporary = try TemporaryFolder(prefix: "ds-estimate")
        defer { temporary.cleanup() }
        let folder = temporary.path
        // Stored 3000x4000 with orientation 6: upright it is 4000x3000.
        var stored = PixelImage(width: 3000, height: 4000, bands: 3, fill: 250)
        stored.fillRect(x: 500, y: 700, width: 900, height: 1300, color: [20, 90, 200])
        let path = folder + "/IMG.jpg"
        try ImageCodec.encodeJPEG(stored, quality: 92, orientation: 6).write(to: URL(fileURLWithPath: path))

        var auto = PromptSettings(name: "caption", kind: .text, text: String(repeating: "x", count: 40))
        auto.system = "abcd"
        var original = PromptSettings(name: "full", kind: .detect, text: ConfigLoader.defaultDetectText)
        original.resolution = .original
        var capped = PromptSettings(name: "small", kind: .segment, text: ConfigLoader.defaultSegmentText)
        capped.resolution = .maxSide(384)
        capped.references = [path]

        let e = try ImageEstimate.make(
            path: path, prompts: [auto, original, capped], defaultModel: "gemini-2.0-flash", maxPixels: 100_000_000,
            promptNames: [])
        let size = try Int(#require(FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).intValue)
        #expect(e.original.width == 4000 && e.original.height == 3000 && e.original.bytes == size)
        #expect(e.original.tokens == ImageTokens.estimate(width: 4000, height: 3000))

        let a = e.prompts[0]
        let o = e.prompts[1]
        let s = e.prompts[2]
        #expect(a.sent.width == 1536 && a.sent.height == 1152 && a.sent.mimeType == "image/jpeg")
        #expect(a.sent.tokens == e.original.tokens)
        #expect(a.sent.bytes < e.original.bytes)
        #expect(a.textTokens == 11)
        #expect(a.totalTokens == a.sent.tokens + 11)
        // Turned upright, so re-encoded even at full size.
        #expect(o.sent.width == 4000 && o.sent.height == 3000 && o.sent.tokens == e.original.tokens)
        #expect(s.sent.width == 384 && s.sent.height == 288)
        #expect(s.sent.tokens == 258 && e.original.tokens == 1032)
        #expect(s.otherImages.count == 1 && s.otherImages[0].width == 384)
        #expect(s.totalBytes == s.sent.bytes + s.otherImages[0].bytes)

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(e)) as? [String: Any]
        let first = (json?["prompts"] as? [[String: Any]])?.first
        #expect(first?["total_tokens"] as? Int == a.totalTokens)
        #expect((first?["sent"] as? [String: Any])?["mime_type"] as? String == "image/jpeg")
    }

    /// On Gemini 3 an image costs the same whatever its size: `auto` caps the long side per media resolution,
    /// and the estimate is the level's fixed count.
    @Test func onGemini3AutoCapsTheSideAndTheCostIsFixedByMediaResolution() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ds-estimate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/IMG.jpg"
        try ImageCodec.encodeJPEG(PixelImage(width: 4000, height: 3000, bands: 3, fill: 200), quality: 90).write(
            to: URL(fileURLWithPath: path))
        let plain = PromptSettings(name: "caption", kind: .text, text: "t")
        var low = PromptSettings(name: "cheap", kind: .text, text: "t")
        low.mediaResolution = .low
        var small = PromptSettings(name: "small", kind: .text, text: "t")
        small.resolution = .maxSide(500)

        let e = try ImageEstimate.make(
            path: path, prompts: [plain, low, small], defaultModel: "gemini-3.8-flash", maxPixels: 100_000_000,
            promptNames: [])
        #expect(e.original.tokens == 1120)
        #expect(e.prompts[0].sent.width == 1536 && e.prompts[0].sent.height == 1152 && e.prompts[0].sent.tokens == 1120)
        #expect(e.prompts[1].sent.width == 768 && e.prompts[1].sent.tokens == 280)
        #expect(e.prompts[2].sent.width == 500 && e.prompts[2].sent.tokens == 1120, "fewer pixels, the same tokens")

        var caps = AutoSideCaps()
        caps.high = 1024
        let capped = try ImageEstimate.make(
            path: path, prompts: [plain], defaultModel: "gemini-3.8-flash", caps: caps, maxPixels: 100_000_000,
            promptNames: [])
        #expect(capped.prompts[0].sent.width == 1024, "[api] auto_max_side moves the cap")
    }

    @Test func aFileThatIsNotAnImageIsRefusedWithItsReason() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ds-estimate-\(UUID().uuidString).jpg").path
        try Data("not a photo".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try ImageEstimate.make(
                path: path, prompts: [PromptSettings(name: "c", kind: .text, text: "t")], defaultModel: ModelCatalog.defaultModel,
                maxPixels: 1_000_000, promptNames: [])
        } throws: { error in
            (error as? ImageSubject.Rejected)?.code == "not_an_image"
        }
    }
}
