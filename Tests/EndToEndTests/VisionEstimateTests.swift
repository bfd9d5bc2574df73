import DropsightTestSupport
import Foundation
import Imaging
import Testing
@testable import Dropsight

/// `dropsight estimate`: what each prompt would send, against what the original would cost.
@Suite struct VisionEstimateTests {
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

        let e = try ImageEstimate.make(path: path, prompts: [auto, original, capped], maxPixels: 100_000_000, promptNames: [])
        let size = try Int(#require(FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).intValue)
        #expect(e.original.width == 4000 && e.original.height == 3000 && e.original.bytes == size)
        #expect(e.original.tokens == ImageTokens.estimate(width: 4000, height: 3000))

        let a = e.prompts[0], o = e.prompts[1], s = e.prompts[2]
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

    @Test func aFileThatIsNotAnImageIsRefusedWithItsReason() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ds-estimate-\(UUID().uuidString).jpg").path
        try Data("not a photo".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try ImageEstimate.make(path: path, prompts: [PromptSettings(name: "c", kind: .text, text: "t")], maxPixels: 1_000_000, promptNames: [])
        } throws: { error in
            (error as? ImageSubject.Rejected)?.code == "not_an_image"
        }
    }
}
