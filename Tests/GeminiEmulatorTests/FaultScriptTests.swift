import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// Fault scripts: which requests they catch and what those requests get back.
@Suite(.cleansUp) struct FaultScriptTests {
    static let generate = "/v1beta/models/gemini-2.5-flash:generateContent"
    static let hello = #"{"contents": [{"parts": [{"text": "hello"}]}]}"#

    @Test func statusFaultsHitTheNextNMatchingRequestsThenStop() async throws {
        let emulator = try await EmulatorHarness.start()
        let armed = try await emulator.admin(.post, "faults", #"[{"route": "generateContent", "count": 2, "status": 503}]"#)
        #expect(armed.json?["armed"] == .int(1))

        let first = try await emulator.postJSON(Self.generate, Self.hello)
        let second = try await emulator.postJSON(Self.generate, Self.hello)
        let third = try await emulator.postJSON(Self.generate, Self.hello)

        #expect(first.status == 503)
        #expect(first.json?["error"]?["status"] == .string("UNAVAILABLE"))
        #expect(first.json?["error"]?["message"] == .string("The model is overloaded. Please try again later."))
        #expect(second.status == 503)
        #expect(third.status == 200)
        let log = try #require(try await emulator.admin(.get, "requests").json?.arrayValue)
        #expect(log.map { $0["status"] } == [.int(503), .int(503), .int(200)])
        #expect(log.first?["fault"] == .string("status 503"))
        await emulator.stop()
    }

    @Test func rulesMatchOnPromptTextAndCanSkip() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"{"faults": [{"promptContains": "boom", "skip": 1, "status": 500}]}"#)

        let other = try await emulator.postJSON(Self.generate, Self.hello)
        let skipped = try await emulator.postJSON(Self.generate, #"{"contents": [{"parts": [{"text": "boom 1"}]}]}"#)
        let caught = try await emulator.postJSON(Self.generate, #"{"contents": [{"parts": [{"text": "BOOM 2"}]}]}"#)

        #expect(other.status == 200)
        #expect(skipped.status == 200)
        #expect(caught.status == 500)
        #expect(caught.json?["error"]?["status"] == .string("INTERNAL"))
        await emulator.stop()
    }

    @Test func a429FaultCarriesQuotaFailureHelpAndRetryInfo() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"[{"status": 429, "retryAfterSeconds": 7}]"#)

        let reply = try await emulator.postJSON(Self.generate, Self.hello)

        #expect(reply.status == 429)
        let details = try #require(reply.json?["error"]?["details"]?.arrayValue)
        #expect(
            details.compactMap { $0["@type"]?.stringValue } == [
                "type.googleapis.com/google.rpc.QuotaFailure",
                "type.googleapis.com/google.rpc.Help",
                "type.googleapis.com/google.rpc.RetryInfo",
            ])
        #expect(details[2]["retryDelay"] == .string("7s"))
        #expect(details[0]["violations"]?.arrayValue?.first?["quotaDimensions"]?["model"] == .string("gemini-2.5-flash"))
        await emulator.stop()
    }

    @Test func replyFaultsShapeTheCandidateLikeRealOddities() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"[{"action": "maxTokens"}, {"action": "blocked"}, {"action": "garbage"}]"#)

        let cut = try await emulator.postJSON(Self.generate, Self.hello)
        let blocked = try await emulator.postJSON(Self.generate, Self.hello)
        let garbage = try await emulator.postJSON(Self.generate, Self.hello)

        let candidate = try #require(cut.json?["candidates"]?.arrayValue?.first)
        #expect(candidate["finishReason"] == .string("MAX_TOKENS"))
        #expect(candidate["content"] == .object([("role", .string("model"))]))
        #expect(cut.json?["usageMetadata"]?["candidatesTokenCount"] == nil)
        #expect(cut.json?["usageMetadata"]?["thoughtsTokenCount"] != nil)
        #expect(blocked.status == 200)
        #expect(blocked.json?["candidates"] == nil)
        #expect(blocked.json?["promptFeedback"]?["blockReason"] == .string("SAFETY"))
        let text = garbage.json?["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.first?["text"]?.stringValue
        #expect(text == CandidateBuilder.garbageText)
        await emulator.stop()
    }

    @Test func midStreamErrorsArriveAfterHTTP200() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"[{"route": "streamGenerateContent", "action": "midStreamError", "status": 500}]"#)
        let long = #"{"contents": [{"parts": [{"text": "\#(String(repeating: "word ", count: 40))"}]}]}"#

        let reply = try await emulator.postJSON("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", long)

        #expect(reply.status == 200)
        let events = reply.text.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
        #expect(events.count == 2)
        #expect(events.first?.hasPrefix("data: {\"candidates\"") == true)
        #expect(events.last?.hasPrefix("data: {\"error\"") == true)
        let error = try WireJSONParser.parse(Data(try #require(events.last).dropFirst(6).utf8))
        #expect(error["error"]?["status"] == .string("INTERNAL"))
        await emulator.stop()
    }

    @Test func dropClosesTheConnectionWithoutAnAnswer() async throws {
        let emulator = try await EmulatorHarness.start()
        _ = try await emulator.admin(.post, "faults", #"[{"route": "generateContent", "action": "drop"}]"#)

        await #expect(throws: (any Error).self) {
            _ = try await emulator.postJSON(Self.generate, Self.hello)
        }
        let next = try await emulator.postJSON(Self.generate, Self.hello)
        #expect(next.status == 200)
        await emulator.stop()
    }

    @Test func scriptsLoadFromAFileAtStart() async throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString).json")
        try Data(#"[{"route": "files", "status": 504}]"#.utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        let emulator = try await EmulatorHarness.start { $0.faultScriptFile = script }

        let listed = try await emulator.send(.get, "/v1beta/files")
        let generated = try await emulator.postJSON(Self.generate, Self.hello)

        #expect(listed.status == 504)
        #expect(listed.json?["error"]?["status"] == .string("DEADLINE_EXCEEDED"))
        #expect(generated.status == 200)
        await emulator.stop()
    }

    @Test func badScriptsAreRefusedWithTheReason() throws {
        #expect(throws: FaultScriptError.self) { try FaultScript.parse(Data(#"[{"action": "explode"}]"#.utf8)) }
        #expect(throws: FaultScriptError.self) { try FaultScript.parse(Data(#"[{"status": 503, "colour": "red"}]"#.utf8)) }
        #expect(throws: FaultScriptError.self) { try FaultScript.parse(Data(#"{"rules": []}"#.utf8)) }
        let rules = try FaultScript.parse(Data(#"[{"route": "upload", "command": "upload", "action": "drop", "afterBytes": 10}]"#.utf8))
        #expect(rules.rules == [FaultRule(route: .upload, command: "upload", action: .drop(afterBytes: 10))])
    }
}
