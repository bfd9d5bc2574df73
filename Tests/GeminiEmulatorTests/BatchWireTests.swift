import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// The Batch API on the wire: the Operation's shape, both key spellings, validation, the results file
/// at both download URLs, states on the emulator clock, and the admin calls.
@Suite(.cleansUp) struct BatchWireTests {
    static let create = "/v1beta/models/gemini-2.5-flash:batchGenerateContent"

    static func inline(_ texts: [String], snake: Bool = true) -> String {
        let requests = texts.enumerated().map { index, text in
            #"{"request": {"contents": [{"parts": [{"text": "\#(text)"}]}]}, "metadata": {"key": "k\#(index)"}}"#
        }.joined(separator: ",")
        return snake
            ? #"{"batch": {"display_name": "inline", "input_config": {"requests": {"requests": [\#(requests)]}}}}"#
            : #"{"batch": {"displayName": "inline", "inputConfig": {"requests": {"requests": [\#(requests)]}}, "priority": "5"}}"#
    }

    func upload(_ emulator: EmulatorHarness, _ text: String) async throws -> String {
        let file = try await emulator.uploadFile(Data(text.utf8), mimeType: "application/jsonl")
        return try #require(file["name"]?.stringValue)
    }

    func waitUntilDone(_ emulator: EmulatorHarness, _ name: String) async throws -> WireJSON {
        var operation = WireJSON.null
        _ = await poll(upTo: 60) {
            operation = try await emulator.send(.get, "/v1beta/\(name)").json ?? .null
            return operation["done"] == .bool(true)
        }
        return operation
    }

    @Test func createAnswersAPendingOperationInEitherKeySpelling() async throws {
        let emulator = try await EmulatorHarness.start { $0.batchPendingSeconds = 3600 }

        let snake = try await emulator.postJSON(Self.create, Self.inline(["a", "b"]))
        let camel = try await emulator.postJSON(Self.create, Self.inline(["a"], snake: false))

        #expect(snake.status == 200 && camel.status == 200)
        let operation = try #require(camel.json)
        let name = try #require(operation["name"]?.stringValue)
        #expect(name.hasPrefix("batches/") && name.count == "batches/".count + 36)
        #expect(operation["done"] == nil)
        let metadata = try #require(operation["metadata"])
        #expect(metadata["@type"] == .string("type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch"))
        #expect(metadata["name"] == .string(name))
        #expect(metadata["model"] == .string("models/gemini-2.5-flash"))
        #expect(metadata["displayName"] == .string("inline"))
        #expect(metadata["state"] == .string("BATCH_STATE_PENDING"))
        #expect(metadata["priority"] == .string("5"))
        #expect(metadata["batchStats"] == .object([("requestCount", .string("1")), ("pendingRequestCount", .string("1"))]))
        #expect(snake.json?["metadata"]?["batchStats"]?["requestCount"] == .string("2"))
        #expect(snake.json?["name"] != operation["name"])
    }

    @Test func createRefusesWhatTheServiceRefuses() async throws {
        let emulator = try await EmulatorHarness.start { $0.processingSeconds = 600 }
        let processing = try await upload(emulator, #"{"key": "a", "request": {"contents": [{"parts": [{"text": "x"}]}]}}"#)

        let unknownModel = try await emulator.postJSON("/v1beta/models/gemini-0-nope:batchGenerateContent", Self.inline(["a"]))
        let missingFile = try await emulator.postJSON(Self.create, #"{"batch": {"input_config": {"file_name": "files/nothere"}}}"#)
        let notActive = try await emulator.postJSON(Self.create, #"{"batch": {"input_config": {"file_name": "\#(processing)"}}}"#)
        let noInput = try await emulator.postJSON(Self.create, #"{"batch": {"display_name": "empty"}}"#)
        let unknownField = try await emulator.postJSON(
            Self.create, #"{"batch": {"input_config": {"requests": {"requests": [{"request": {"contents": [], "colour": 1}}]}}}}"#)
        let huge = String(repeating: "x", count: 21 * 1024 * 1024)
        let tooBig = try await emulator.postJSON(Self.create, Self.inline([huge]))

        #expect(unknownModel.status == 404)
        #expect(missingFile.status == 403)
        #expect(missingFile.json?["error"]?["status"] == .string("PERMISSION_DENIED"))
        #expect(notActive.status == 400)
        #expect(notActive.json?["error"]?["status"] == .string("FAILED_PRECONDITION"))
        #expect(noInput.status == 400)
        #expect(unknownField.status == 400)
        #expect(unknownField.text.contains("Unknown name \\\"colour\\\""))
        #expect(tooBig.status == 400)
        #expect(tooBig.text.contains("Request payload size exceeds the limit"))
        let batches = try await emulator.admin(.get, "batches").json?["batches"]
        #expect(batches == .array([]))
    }

    /// The results file is compact JSONL in input order, a generated file, and downloads at both URLs.
    @Test func fileBatchResultsDownloadAtBothURLs() async throws {
        let emulator = try await EmulatorHarness.start {
            $0.batchPendingSeconds = 0
            $0.batchRunningSeconds = 0
        }
        let lines = [
            #"{"key": "one", "request": {"contents": [{"parts": [{"text": "first prompt"}]}]}}"#,
            "",
            #"{"request": {"contents": [{"parts": [{"text": "second"}]}], "generation_config": {"bogus": 1}}, "key": "two"}"#,
            #"{"key": "three", "request": {"contents": [{"parts": [{"text": "third prompt"}]}]}}"#,
            "{not json",
        ]
        let input = try await upload(emulator, lines.joined(separator: "\n") + "\n")
        let created = try await emulator.postJSON(
            Self.create, #"{"batch": {"display_name": "f", "input_config": {"file_name": "\#(input)"}}}"#)
        let name = try #require(created.json?["name"]?.stringValue)
        let id = String(name.dropFirst("batches/".count))

        let done = try await waitUntilDone(emulator, name)
        let viaDownload = try await emulator.send(.get, "/download/v1beta/files/batch-\(id):download?alt=media")
        let viaAPI = try await emulator.send(.get, "/v1beta/files/batch-\(id):download?alt=media")
        let file = try await emulator.send(.get, "/v1beta/files/batch-\(id)")

        #expect(done["metadata"]?["state"] == .string("BATCH_STATE_SUCCEEDED"))
        #expect(done["metadata"]?["output"]?["responsesFile"] == .string("files/batch-\(id)"))
        #expect(done["response"]?["responsesFile"] == .string("files/batch-\(id)"))
        #expect(
            done["response"]?["@type"] == .string("type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput"))
        #expect(
            done["metadata"]?["batchStats"]
                == .object([
                    ("requestCount", .string("4")), ("successfulRequestCount", .string("2")), ("failedRequestCount", .string("2")),
                ]))
        #expect(viaDownload.status == 200 && viaAPI.status == 200)
        #expect(viaDownload.body == viaAPI.body)
        let results = viaDownload.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(results.count == 5 && results.last == "")
        #expect(results.dropLast().allSatisfy { !$0.contains("\": ") && !$0.contains(", \"") })
        let parsed = try results.dropLast().map { try WireJSONParser.parse(Data($0.utf8)) }
        #expect(parsed.map { $0["key"] } == [.string("one"), .string("two"), .string("three"), nil])
        #expect(parsed[0].objectPairs?.map(\.0) == ["response", "key"])
        #expect(parsed[0]["response"]?["usageMetadata"]?["promptTokenCount"] != nil)
        #expect(parsed[0]["response"]?["modelVersion"] == .string("gemini-2.5-flash"))
        #expect(parsed[1].objectPairs?.map(\.0) == ["error", "key"])
        #expect(parsed[1]["error"]?["code"] == .int(400))
        #expect(parsed[1]["error"]?["status"] == .string("INVALID_ARGUMENT"))
        #expect(parsed[2]["response"]?["candidates"] != nil)
        #expect(parsed[3]["error"]?["code"] == .int(400))
        #expect(file.json?["source"] == .string("GENERATED"))
        #expect(file.json?["mimeType"] == .string("application/jsonl"))
        #expect(file.json?["sizeBytes"] == .string(String(viaDownload.body.count)))
        #expect(file.json?["downloadUri"]?.stringValue?.hasSuffix("/download/v1beta/files/batch-\(id):download?alt=media") == true)
        let noKey = try await emulator.send(.get, "/download/v1beta/files/batch-\(id):download?alt=media", withKey: false)
        #expect(noKey.status == 403)
    }

    /// Readers polling at once when a file batch turns SUCCEEDED all see the one results file.
    @Test func concurrentPollsShareTheResultsFile() async throws {
        let emulator = try await EmulatorHarness.start {
            $0.batchPendingSeconds = 600
            $0.batchRunningSeconds = 0
        }
        let input = try await upload(emulator, #"{"key": "a", "request": {"contents": [{"parts": [{"text": "x"}]}]}}"#)
        let created = try await emulator.postJSON(Self.create, #"{"batch": {"input_config": {"file_name": "\#(input)"}}}"#)
        let name = try #require(created.json?["name"]?.stringValue)
        let computed = await poll(upTo: 30) {
            try await emulator.admin(.get, "batches").json?["batches"]?.arrayValue?.first?["resultsReady"] == .bool(true)
        }
        try #require(computed)
        _ = try await emulator.admin(.post, "clock", #"{"advanceSeconds": 601}"#)

        let answers = try await withThrowingTaskGroup(of: WireJSON?.self) { group in
            for _ in 0..<8 { group.addTask { try await emulator.send(.get, "/v1beta/\(name)").json } }
            return try await group.reduce(into: [WireJSON?]()) { $0.append($1) }
        }

        let id = name.dropFirst("batches/".count)
        for answer in answers {
            #expect(answer?["metadata"]?["state"] == .string("BATCH_STATE_SUCCEEDED"))
            #expect(answer?["response"]?["responsesFile"] == .string("files/batch-\(id)"))
        }
    }

    /// PENDING, RUNNING and SUCCEEDED follow the emulator clock; 48 hours unfinished is EXPIRED.
    @Test func statesFollowTheEmulatorClock() async throws {
        let emulator = try await EmulatorHarness.start {
            $0.batchPendingSeconds = 600
            $0.batchRunningSeconds = 600
        }
        let created = try await emulator.postJSON(Self.create, Self.inline(["a"]))
        let name = try #require(created.json?["name"]?.stringValue)
        func state() async throws -> WireJSON? { try await emulator.send(.get, "/v1beta/\(name)").json?["metadata"]?["state"] }

        let first = try await state()
        _ = try await emulator.admin(.post, "clock", #"{"advanceSeconds": 601}"#)
        let second = try await state()
        _ = try await emulator.admin(.post, "clock", #"{"advanceSeconds": 600}"#)
        var third = try await state()
        _ = await poll(upTo: 30) {
            third = try await state()
            return third != .string("BATCH_STATE_RUNNING")
        }

        #expect(first == .string("BATCH_STATE_PENDING"))
        #expect(second == .string("BATCH_STATE_RUNNING"))
        #expect(third == .string("BATCH_STATE_SUCCEEDED"))

        let slow = try await emulator.admin(.post, "batches", #"{"runningSeconds": 360000}"#)
        #expect(slow.json?["runningSeconds"] == .int(360000))
        let late = try await emulator.postJSON(Self.create, Self.inline(["b"]))
        let lateName = try #require(late.json?["name"]?.stringValue)
        _ = try await emulator.admin(.post, "clock", #"{"advanceSeconds": 172800}"#)
        let expired = try await emulator.send(.get, "/v1beta/\(lateName)").json
        #expect(expired?["metadata"]?["state"] == .string("BATCH_STATE_EXPIRED"))
        #expect(expired?["done"] == .bool(true))
        #expect(expired?["response"] == nil && expired?["metadata"]?["output"] == nil)
    }

    @Test func cancelAndDeleteAnswerEmptyAndTheRequestLogNamesTheBatch() async throws {
        let emulator = try await EmulatorHarness.start { $0.batchPendingSeconds = 3600 }
        let first = try #require(try await emulator.postJSON(Self.create, Self.inline(["a"])).json?["name"]?.stringValue)
        let second = try #require(try await emulator.postJSON(Self.create, Self.inline(["b"])).json?["name"]?.stringValue)

        let cancel = try await emulator.postJSON("/v1beta/\(first):cancel", "{}")
        let cancelled = try await emulator.send(.get, "/v1beta/\(first)")
        let deleteByVerb = try await emulator.postJSON("/v1beta/\(first):delete", "")
        let deleteByMethod = try await emulator.send(.delete, "/v1beta/\(second)")
        let gone = try await emulator.send(.get, "/v1beta/\(second)")
        let cancelGone = try await emulator.postJSON("/v1beta/\(second):cancel", "{}")

        #expect(cancel.status == 200 && cancel.json == .object([]))
        #expect(cancelled.json?["metadata"]?["state"] == .string("BATCH_STATE_CANCELLED"))
        #expect(cancelled.json?["done"] == .bool(true))
        #expect(deleteByVerb.status == 200 && deleteByMethod.status == 200 && deleteByMethod.json == .object([]))
        #expect(gone.status == 404 && cancelGone.status == 404)
        let log = try #require(try await emulator.admin(.get, "requests").json?.arrayValue)
        let creates = log.filter { $0["path"]?.stringValue?.hasSuffix(":batchGenerateContent") == true }
        #expect(creates.map { $0["batch"] } == [.string(first), .string(second)])
        let list = try await emulator.send(.get, "/v1beta/batches").json
        #expect(list == .object([]))
    }

    @Test func listPagesNewestFirst() async throws {
        let emulator = try await EmulatorHarness.start { $0.batchPendingSeconds = 3600 }
        var names: [String] = []
        for index in 0..<5 {
            names.append(try #require(try await emulator.postJSON(Self.create, Self.inline(["\(index)"])).json?["name"]?.stringValue))
        }

        var seen: [String] = []
        var token: String?
        repeat {
            let query = "pageSize=2" + (token.map { "&pageToken=\($0)" } ?? "")
            let page = try #require(try await emulator.send(.get, "/v1beta/batches?\(query)").json)
            let operations = page["operations"]?.arrayValue ?? []
            #expect(operations.count <= 2)
            seen += operations.compactMap { $0["name"]?.stringValue }
            token = page["nextPageToken"]?.stringValue
        } while token != nil && seen.count < 10

        #expect(seen == names.reversed())
    }
}
