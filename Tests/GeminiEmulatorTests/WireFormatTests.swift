import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import GeminiEmulator

/// Request parsing, errors and response shapes as the real service has them.
@Suite(.cleansUp) struct WireFormatTests {
    static let flash = "/v1beta/models/gemini-2.5-flash:generateContent"

    func text(of reply: EmulatorHarness.Reply) -> String? {
        reply.json?["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.last?["text"]?.stringValue
    }

    @Test func snakeCamelAndMixedKeysAreAllAccepted() async throws {
        let emulator = try await EmulatorHarness.start()
        let mixed = #"""
            {"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
             "system_instruction": {"parts": [{"text": "be brief"}]},
             "generationConfig": {"thinkingConfig": {"thinking_budget": 0}, "response_mime_type": "text/plain"}}
            """#
        let reply = try await emulator.postJSON(Self.flash, mixed)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["usageMetadata"]?["thoughtsTokenCount"] == nil)
        // "hi" (1 token) + "be brief" (2 tokens).
        #expect(reply.json?["usageMetadata"]?["promptTokenCount"] == .int(3))
        await emulator.stop()
    }

    @Test func unknownFieldsGetTheBadRequestShape() async throws {
        let emulator = try await EmulatorHarness.start()
        let reply = try await emulator.postJSON(Self.flash, #"{"contents": [{"parts": [{"text": "x", "inlineDatas": {}}]}], "bogus": 1}"#)

        #expect(reply.status == 400)
        let error = try #require(reply.json?["error"])
        #expect(error["status"] == .string("INVALID_ARGUMENT"))
        #expect(
            error["message"]
                == .string(
                    "Invalid JSON payload received. Unknown name \"inlineDatas\" at 'contents[0].parts[0]': Cannot find field.\n"
                        + "Invalid JSON payload received. Unknown name \"bogus\": Cannot find field."
                ))
        let detail = try #require(error["details"]?.arrayValue?.first)
        #expect(detail["@type"] == .string("type.googleapis.com/google.rpc.BadRequest"))
        let violations = try #require(detail["fieldViolations"]?.arrayValue)
        #expect(violations.first?["field"] == .string("contents[0].parts[0]"))
        #expect(violations.last?["field"] == nil)
        await emulator.stop()
    }

    @Test func wrongValueTypesNameTheProtoType() throws {
        let body = try WireJSONParser.parse(
            Data(#"{"contents": [], "generation_config": {"temperature": "hot", "media_resolution": "HUGE"}}"#.utf8))
        #expect(throws: InvalidRequest.self) { try RequestNormalizer.normalize(body, as: "GenerateContentRequest") }
        do {
            _ = try RequestNormalizer.normalize(body, as: "GenerateContentRequest")
        } catch {
            #expect(
                error.violations.map(\.description) == [
                    "Invalid value at 'generation_config.temperature' (TYPE_FLOAT), \"hot\"",
                    "Invalid value at 'generation_config.media_resolution' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.MediaResolution), \"HUGE\"",
                ])
        }
    }

    @Test func normalizedKeysAreCamelCaseAtEveryDepth() throws {
        let body = try WireJSONParser.parse(
            Data(
                #"{'contents': [{'parts': [{'inline_data': {'mime_type': 'image/png', 'data': 'AA'}}]}], 'generation_config': {'response_json_schema': {'type': 'object'}},}"#
                    .utf8))
        let normalized = try RequestNormalizer.normalize(body, as: "GenerateContentRequest")
        #expect(normalized["contents"]?.arrayValue?.first?["parts"]?.arrayValue?.first?["inlineData"]?["mimeType"] == .string("image/png"))
        #expect(normalized["generationConfig"]?["responseJsonSchema"] == .object([("type", .string("object"))]))
        let underscore = try WireJSONParser.parse(Data(#"{"_responseJsonSchema": {"type": "string"}}"#.utf8))
        #expect(try RequestNormalizer.normalize(underscore, as: "GenerationConfig")["responseJsonSchema"] != nil)
    }

    @Test func urlSafeUnpaddedBase64IsAccepted() async throws {
        // Find an image whose base64 has '-' or '_' and padding, as python-genai sends it.
        var image = PixelImage(width: 64, height: 64, fill: [255, 255, 255])
        image.fillRect(x: 16, y: 16, width: 32, height: 32, color: [0, 200, 0])
        let png = try ImageCodec.encodePNG(image)
        let urlSafe = png.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let emulator = try await EmulatorHarness.start()

        let reply = try await emulator.postJSON(
            Self.flash,
            #"{"contents": [{"parts": [{"inlineData": {"mimeType": "image/png", "data": "\#(urlSafe)"}}, {"text": "What is this?"}]}]}"#)

        #expect(text(of: reply) == "A 64x64 image with a white background showing a green square in the center.")
        let broken = try await emulator.postJSON(
            Self.flash, #"{"contents": [{"parts": [{"inlineData": {"mimeType": "image/png", "data": "%%%"}}]}]}"#)
        #expect(broken.status == 400)
        #expect(
            broken.json?["error"]?["message"]?.stringValue?.hasPrefix(
                "Invalid value at 'contents[0].parts[0].inline_data.data' (TYPE_BYTES)") == true)
        await emulator.stop()
    }

    @Test func keysAreCheckedLikeTheRealService() async throws {
        let emulator = try await EmulatorHarness.start()
        let body = #"{"contents": [{"parts": [{"text": "hi"}]}]}"#
        let missing = try await emulator.send(.post, Self.flash, body: Data(body.utf8), withKey: false)
        let wrong = try await emulator.send(.post, Self.flash + "?key=nope", body: Data(body.utf8), withKey: false)
        let query = try await emulator.send(.post, Self.flash + "?key=\(EmulatorHarness.key)", body: Data(body.utf8), withKey: false)
        let unknownModel = try await emulator.postJSON("/v1beta/models/gemini-0:generateContent", body)

        #expect(missing.status == 403)
        #expect(missing.json?["error"]?["status"] == .string("PERMISSION_DENIED"))
        #expect(wrong.status == 400)
        #expect(wrong.json?["error"]?["details"]?.arrayValue?.first?["reason"] == .string("API_KEY_INVALID"))
        #expect(query.status == 200)
        #expect(unknownModel.status == 404)
        #expect(
            unknownModel.json?["error"]?["message"]?.stringValue?.hasPrefix("models/gemini-0 is not found for API version v1beta") == true)
        let log = try #require(try await emulator.admin(.get, "requests").json?.arrayValue)
        #expect(log[2]["query"] == .string("key=REDACTED"))
        #expect(log[3]["headers"]?["x-goog-api-key"] == .string("REDACTED"))
        #expect(!(try await emulator.admin(.get, "requests").text.contains(EmulatorHarness.key)))
        await emulator.stop()
    }

    @Test func countTokensFollowsTheRecording() async throws {
        let emulator = try await EmulatorHarness.start()
        let plain = try await emulator.postJSON(
            "/v1beta/models/gemini-2.5-flash:countTokens",
            #"{"contents": [{"parts": [{"text": "The quick brown fox jumps over the lazy dog."}], "role": "user"}]}"#)
        let wrapped = try await emulator.postJSON(
            "/v1beta/models/gemini-2.5-flash:countTokens",
            #"{"generateContentRequest": {"model": "models/gemini-2.5-flash", "contents": [{"parts": [{"text": "abcd"}]}]}}"#)
        #expect(plain.json?["totalTokens"] == .int(11))
        #expect(plain.json?["promptTokensDetails"]?.arrayValue?.first?["tokenCount"] == .int(11))
        #expect(wrapped.json?["totalTokens"] == .int(1))
        await emulator.stop()
    }

    @Test func thinkingIsCountedAndLimitedLikeRealModels() async throws {
        let emulator = try await EmulatorHarness.start()
        let body = #"{"contents": [{"parts": [{"text": "why is the sky blue?"}]}]}"#
        let automatic = try await emulator.postJSON(Self.flash, body)
        let withThoughts = try await emulator.postJSON(
            Self.flash,
            #"{"contents": [{"parts": [{"text": "q"}]}], "generationConfig": {"thinkingConfig": {"includeThoughts": true, "thinkingBudget": 50}}}"#
        )
        let cut = try await emulator.postJSON(
            Self.flash, #"{"contents": [{"parts": [{"text": "q"}]}], "generationConfig": {"maxOutputTokens": 20}}"#)
        let proOff = try await emulator.postJSON(
            "/v1beta/models/gemini-2.5-pro:generateContent",
            #"{"contents": [{"parts": [{"text": "q"}]}], "generationConfig": {"thinkingConfig": {"thinkingBudget": 0}}}"#)
        let noThinking = try await emulator.postJSON("/v1beta/models/gemini-2.0-flash:generateContent", body)

        let usage = try #require(automatic.json?["usageMetadata"])
        let prompt = try #require(usage["promptTokenCount"]?.intValue)
        let candidates = try #require(usage["candidatesTokenCount"]?.intValue)
        let thoughts = try #require(usage["thoughtsTokenCount"]?.intValue)
        #expect(usage["totalTokenCount"]?.intValue == prompt + candidates + thoughts)
        let parts = try #require(withThoughts.json?["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue)
        #expect(parts.count == 2)
        #expect(parts[0]["thought"] == .bool(true))
        #expect(withThoughts.json?["usageMetadata"]?["thoughtsTokenCount"] == .int(50))
        #expect(cut.json?["candidates"]?.arrayValue?.first?["finishReason"] == .string("MAX_TOKENS"))
        #expect(cut.json?["candidates"]?.arrayValue?.first?["content"]?["parts"] == nil)
        #expect(cut.json?["usageMetadata"]?["thoughtsTokenCount"] == .int(20))
        #expect(proOff.status == 400)
        #expect(proOff.json?["error"]?["message"] == .string("Budget 0 is invalid. This model only works in thinking mode."))
        #expect(noThinking.json?["usageMetadata"]?["thoughtsTokenCount"] == nil)
        await emulator.stop()
    }

    @Test func streamingSendsDeltasWithCumulativeUsage() async throws {
        let emulator = try await EmulatorHarness.start()
        let body =
            #"{"contents": [{"parts": [{"text": "tell me something"}]}], "generationConfig": {"thinkingConfig": {"thinkingBudget": 0}}}"#
        let whole = try await emulator.postJSON(Self.flash, body)
        let stream = try await emulator.postJSON("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body)

        #expect(stream.header("Content-Type") == "text/event-stream")
        let events = stream.text.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
        #expect(events.count == 3)
        #expect(events.allSatisfy { $0.hasPrefix("data: ") })
        let chunks = try events.map { try WireJSONParser.parse(Data($0.dropFirst(6).utf8)) }
        let joined = chunks.compactMap { text(of: EmulatorHarness.Reply(status: 200, headers: [:], body: WireJSONWriter.data($0))) }
            .joined()
        #expect(joined == text(of: whole))
        #expect(chunks.dropLast().allSatisfy { $0["candidates"]?.arrayValue?.first?["finishReason"] == nil })
        #expect(chunks.last?["candidates"]?.arrayValue?.first?["finishReason"] == .string("STOP"))
        let counts = chunks.compactMap { $0["usageMetadata"]?["candidatesTokenCount"]?.intValue }
        #expect(counts == counts.sorted())
        #expect(counts.last == whole.json?["usageMetadata"]?["candidatesTokenCount"]?.intValue)
        await emulator.stop()
    }

    @Test func jsonSchemaRepliesFollowRefsAndNullableTypes() async throws {
        let emulator = try await EmulatorHarness.start()
        var image = PixelImage(width: 100, height: 50, fill: [0, 0, 0])
        image.fillRect(x: 0, y: 0, width: 10, height: 10, color: [255, 255, 0])
        let png = try ImageCodec.encodePNG(image).base64EncodedString()
        let schema = #"""
            {"type": "object", "$defs": {"item": {"type": "object", "properties": {"label": {"type": "string"}, "box_2d": {"type": "array", "items": {"type": "integer"}}}}},
             "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/item"}}, "note": {"type": ["string", "null"]}, "ok": {"type": "boolean"}}}
            """#
        let reply = try await emulator.postJSON(
            Self.flash,
            #"{"contents": [{"parts": [{"inlineData": {"mimeType": "image/png", "data": "\#(png)"}}, {"text": "list"}]}], "generationConfig": {"responseMimeType": "application/json", "responseJsonSchema": \#(schema)}}"#
        )

        let answer = try WireJSONParser.parse(Data(try #require(text(of: reply)).utf8))
        #expect(
            answer["items"]
                == .array([
                    .object([
                        ("label", .string("yellow square")),
                        ("box_2d", .array([.int(0), .int(0), .int(200), .int(100)])),
                    ])
                ]))
        #expect(answer["note"]?.stringValue?.hasPrefix("A 100x50 image with a black background") == true)
        #expect(answer["ok"] == .bool(true))
        await emulator.stop()
    }

    @Test func cannedRepliesReplayRealModelText() async throws {
        let temporary = try TemporaryFolder(prefix: "replies")
        defer { temporary.cleanup() }
        let folder = temporary.url
        let socks = "```json\n[\n  {\"box_2d\": [46, 246, 385, 526], \"label\": \"light blue sock with cat face on left\"}\n]\n```"
        try Data(socks.utf8).write(to: folder.appendingPathComponent("socks.txt"))
        try Data(#"[{"match": "SOCKS", "replyFile": "socks.txt"}, {"match": "^count \\d+$", "regex": true, "reply": "3"}]"#.utf8)
            .write(to: folder.appendingPathComponent("replies.json"))
        let emulator = try await EmulatorHarness.start { $0.repliesFile = folder.appendingPathComponent("replies.json") }

        let first = try await emulator.postJSON(Self.flash, #"{"contents": [{"parts": [{"text": "Detect the socks"}]}]}"#)
        let second = try await emulator.postJSON(Self.flash, #"{"contents": [{"parts": [{"text": "count 12"}]}]}"#)

        #expect(text(of: first) == socks)
        #expect(text(of: second) == "3")
        await emulator.stop()
    }
}
