import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import GeminiEmulator

/// Image tokens per media resolution and the service tier (gemini-api-2026.md §3, §7).
@Suite(.cleansUp) struct ImageTokenTests {
    /// A 960x540 white image: 1548 tokens by the tile rule, whatever its level on 3.x.
    static func wide() throws -> String {
        try ImageCodec.encodePNG(PixelImage(width: 960, height: 540, fill: [255, 255, 255])).base64EncodedString()
    }

    /// One image part (with `partExtra` fields beside `inline_data`) and the text "x" (1 token).
    static func body(partExtra: String = "", config: String = "{}") throws -> String {
        #"{"contents": [{"parts": [{"inline_data": {"mime_type": "image/png", "data": "\#(try wide())"}\#(partExtra)}, {"text": "x"}]}], "generationConfig": \#(config)}"#
    }

    static func details(image: Int) -> WireJSON {
        .array([
            .object([("modality", .string("TEXT")), ("tokenCount", .int(1))]),
            .object([("modality", .string("IMAGE")), ("tokenCount", .int(Int64(image)))]),
        ])
    }

    func usage(_ emulator: EmulatorHarness, model: String = "gemini-3.8-flash", _ body: String) async throws -> WireJSON? {
        let reply = try await emulator.postJSON("/v1beta/models/\(model):generateContent", body)
        #expect(reply.status == 200, "\(reply.text)")
        return reply.usage
    }

    @Test(arguments: [
        ("{}", 1120), (#"{"mediaResolution": "MEDIA_RESOLUTION_UNSPECIFIED"}"#, 1120),
        (#"{"media_resolution": "MEDIA_RESOLUTION_LOW"}"#, 280), (#"{"mediaResolution": "MEDIA_RESOLUTION_MEDIUM"}"#, 560),
        (#"{"mediaResolution": "MEDIA_RESOLUTION_HIGH"}"#, 1120),
    ])
    func gemini3CountsAFixedAmountPerGlobalLevel(_ config: String, _ tokens: Int) async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let body = try Self.body(config: config)
        let usage = try await usage(emulator, body)
        let counted = try await emulator.postJSON(
            "/v1beta/models/gemini-3.8-flash:countTokens", #"{"generateContentRequest": \#(body)}"#)

        #expect(usage?["promptTokensDetails"] == Self.details(image: tokens))
        #expect(usage?["promptTokenCount"] == .int(Int64(tokens + 1)))
        #expect(counted.json?["totalTokens"] == .int(Int64(tokens + 1)))
        #expect(counted.json?["promptTokensDetails"] == Self.details(image: tokens))
        await emulator.stop()
    }

    @Test func aPartsLevelOverridesTheGlobalOneAndMayBeUltraHigh() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let ultra = try await usage(
            emulator, try Self.body(partExtra: #", "media_resolution": {"level": "MEDIA_RESOLUTION_ULTRA_HIGH"}"#))
        let low = try await usage(
            emulator,
            try Self.body(
                partExtra: #", "mediaResolution": {"level": "MEDIA_RESOLUTION_LOW"}"#,
                config: #"{"mediaResolution": "MEDIA_RESOLUTION_HIGH"}"#))
        let globalUltra = try await emulator.postJSON(
            "/v1beta/models/gemini-3.8-flash:generateContent", try Self.body(config: #"{"mediaResolution": "MEDIA_RESOLUTION_ULTRA_HIGH"}"#)
        )

        #expect(ultra?["promptTokensDetails"] == Self.details(image: 2240))
        #expect(low?["promptTokensDetails"] == Self.details(image: 280))
        #expect(globalUltra.status == 400)
        #expect(globalUltra.json?["error"]?["status"] == .string("INVALID_ARGUMENT"))
        await emulator.stop()
    }

    @Test func gemini25CountsAFlat258In2026() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026) { $0.extraModels = ["gemini-2.5-flash"] }
        let plain = try await usage(emulator, model: "gemini-2.5-flash", try Self.body())
        let perPart = try await usage(
            emulator, model: "gemini-2.5-flash", try Self.body(partExtra: #", "media_resolution": {"level": "MEDIA_RESOLUTION_LOW"}"#))
        let low = try await usage(
            emulator, model: "gemini-2.5-flash", try Self.body(config: #"{"mediaResolution": "MEDIA_RESOLUTION_LOW"}"#))

        #expect(plain?["promptTokensDetails"] == Self.details(image: 258))
        #expect(perPart?["promptTokensDetails"] == Self.details(image: 258))  // per-part levels are Gemini 3 only
        #expect(low?["promptTokensDetails"] == Self.details(image: 64))
        await emulator.stop()
    }

    @Test func catalogue2025KeepsTheTileRule() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2025)
        let tiled = try await usage(emulator, model: "gemini-3-flash-preview", try Self.body())
        #expect(tiled?["promptTokensDetails"] == Self.details(image: 1548))
        await emulator.stop()
    }

    @Test func answersCarryTheServiceTier() async throws {
        let emulator = try await EmulatorHarness.start(catalog: .y2026)
        let plain = try await emulator.generate("gemini-3.6-flash")
        let flex = try await emulator.postJSON(
            "/v1beta/models/gemini-3.6-flash:generateContent", #"{"contents": [{"parts": [{"text": "hi"}]}], "serviceTier": "flex"}"#)
        let stream = try await emulator.postJSON(
            "/v1beta/models/gemini-3.6-flash:streamGenerateContent?alt=sse", #"{"contents": [{"parts": [{"text": "hi"}]}]}"#)

        #expect(plain.header("x-gemini-service-tier") == "standard")
        #expect(plain.usage?["serviceTier"] == .string("standard"))
        #expect(plain.usage?.objectPairs?.last?.0 == "serviceTier")
        #expect(flex.usage?["serviceTier"] == .string("flex"))
        #expect(stream.header("x-gemini-service-tier") == "standard")
        #expect(stream.text.contains(#""serviceTier":"standard""#))
        await emulator.stop()
    }
}
