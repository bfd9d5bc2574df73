import DropsightTestSupport
import Foundation
import GeminiAPI
import Testing

/// The client's Batch API calls against a real emulator: file and inline batches, per-line errors,
/// streamed downloads, cancel, delete, list paging, forced endings and faults on create.
@Suite(.cleansUp) struct BatchClientTests {
    static let prompt = "Describe this picture."

    /// Photos uploaded first and referenced by `fileUri`: each line answers like generateContent,
    /// an unknown file and an unparseable line become error lines, in input order.
    @Test func fileBatchRunsEachLineAndTheResultsDownloadToDisk() async throws {
        let emulator = try await BatchEmulator.start()
        let red = try await emulator.upload(
            try BatchEmulator.png(width: 200, height: 100, square: [255, 0, 0]), name: "red.png", mimeType: "image/png")
        let blue = try await emulator.upload(
            try BatchEmulator.png(width: 300, height: 200, square: [0, 0, 255]), name: "blue.png", mimeType: "image/png")
        func photoLine(_ key: String, uri: String) throws -> String {
            let request = GenerateContentRequest(contents: [
                Content(parts: [.text(Self.prompt), .fileData(mimeType: "image/png", uri: uri)])
            ])
            return String(decoding: try JSONEncoder().encode(BatchInputLine(key: key, request: request)), as: UTF8.self)
        }
        let lines = [
            try photoLine("IMG_red", uri: try #require(red.uri)),
            try photoLine("IMG_blue", uri: try #require(blue.uri)),
            try photoLine("IMG_gone", uri: "files/doesnotexist"),
            "this is not JSON",
        ]
        let input = try await emulator.upload(
            Data(lines.joined(separator: "\n").utf8), name: "requests.jsonl", mimeType: "application/jsonl")

        let created = try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "photos-1", inputFile: input.name)

        #expect(created.state == .pending)
        #expect(created.stateName == "BATCH_STATE_PENDING")
        #expect(created.stats.requestCount == 4)
        #expect(created.stats.pendingRequestCount == 4)
        #expect(created.responsesFile == nil)
        let done = try await emulator.waitUntilDone(created.name)
        #expect(done.state == .succeeded)
        #expect(done.stats.successfulRequestCount == 2)
        #expect(done.stats.failedRequestCount == 2)
        #expect(done.stats.pendingRequestCount == 0)
        let id = created.name.replacingOccurrences(of: "batches/", with: "")
        #expect(done.responsesFile == "files/batch-\(id)")

        let path = emulator.folder.path("results.jsonl")
        let size = try await emulator.client.downloadFile(name: try #require(done.responsesFile), to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(Int64(text.utf8.count) == size)
        #expect(!FileManager.default.fileExists(atPath: path + ".part"))
        let results = try text.split(separator: "\n").map { try JSONDecoder().decode(BatchResultLine.self, from: Data($0.utf8)) }
        #expect(results.map(\.key) == ["IMG_red", "IMG_blue", "IMG_gone", nil])
        let byKey = Dictionary(uniqueKeysWithValues: results.compactMap { line in line.key.map { ($0, line) } })
        let redText = try #require(byKey["IMG_red"]?.response?.text)
        #expect(redText.contains("200x100") && redText.contains("red square"))
        #expect(byKey["IMG_blue"]?.response?.text?.contains("blue square") == true)
        let usage = try #require(byKey["IMG_red"]?.response?.usageMetadata)
        #expect(usage.imageTokenCount == 258)
        #expect(
            usage.totalTokenCount == (usage.promptTokenCount ?? 0) + (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0))
        #expect(byKey["IMG_gone"]?.error?.code == 403)
        #expect(byKey["IMG_gone"]?.error?.status == "PERMISSION_DENIED")
        #expect(byKey["IMG_gone"]?.response == nil)
        #expect(results[3].error?.code == 400)

        let resultsFile = try await emulator.client.getFile(name: try #require(done.responsesFile))
        #expect(resultsFile.sizeBytes == size)
    }

    @Test func uploadedFilesCannotBeDownloadedAndNothingIsLeftBehind() async throws {
        let emulator = try await BatchEmulator.start()
        let uploaded = try await emulator.upload(Data("plain".utf8), name: "plain.txt", mimeType: "text/plain")
        let path = emulator.folder.path("plain.txt.copy")

        let error = await #expect(throws: GeminiError.self) { try await emulator.client.downloadFile(name: uploaded.name, to: path) }

        #expect(error?.httpStatus == 400)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".part"))
    }

    /// A results file of many lines arrives whole (it is streamed by the emulator and to disk by the client).
    @Test func manyLinesArriveInOrder() async throws {
        let emulator = try await BatchEmulator.start()
        let count = 400
        let lines = try (0..<count).map { index in
            let line = BatchInputLine(
                key: "k\(index)", request: BatchEmulator.textRequest("Line \(index) " + String(repeating: "words ", count: 200)))
            return String(decoding: try JSONEncoder().encode(line), as: UTF8.self)
        }
        let input = try await emulator.upload(Data(lines.joined(separator: "\n").utf8), name: "many.jsonl", mimeType: "application/jsonl")

        let created = try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "many", inputFile: input.name)
        let done = try await emulator.waitUntilDone(created.name)
        let path = emulator.folder.path("many-results.jsonl")
        try await emulator.client.downloadFile(name: try #require(done.responsesFile), to: path)

        let results = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(BatchResultLine.self, from: Data($0.utf8)) }
        #expect(results.map(\.key) == (0..<count).map { "k\($0)" })
        #expect(results.allSatisfy { $0.response?.text?.contains("Line ") == true })
        #expect(done.stats.successfulRequestCount == Int64(count))
    }

    @Test func inlineBatchAnswersInRequestOrderWithTheirMetadata() async throws {
        let emulator = try await BatchEmulator.start()
        let requests = [
            InlinedBatchRequest(key: "first", request: BatchEmulator.textRequest("Say one thing.")),
            InlinedBatchRequest(key: "second", request: BatchEmulator.textRequest("Say another thing.")),
            InlinedBatchRequest(
                key: "gone",
                request: GenerateContentRequest(contents: [
                    Content(parts: [.text("x"), .fileData(mimeType: "image/png", uri: "files/nope")])
                ])),
        ]

        let created = try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "inline-1", requests: requests)
        let done = try await emulator.waitUntilDone(created.name)

        #expect(done.state == .succeeded)
        let answers = try #require(done.inlinedResponses)
        #expect(answers.map(\.key) == ["first", "second", "gone"])
        #expect(answers[0].response?.text?.contains("Say one thing.") == true)
        #expect(answers[1].response?.text?.contains("Say another thing.") == true)
        #expect((answers[0].response?.usageMetadata?.promptTokenCount ?? 0) > 0)
        #expect(answers[2].error?.code == 403)
        #expect(done.stats.failedRequestCount == 1)
        #expect(done.responsesFile == nil)

        let listed = try await emulator.client.listBatches().operations ?? []
        let inList = try #require(listed.first { $0.name == created.name })
        #expect(inList.state == .succeeded)
        #expect(inList.inlinedResponses == nil)
    }

    @Test func cancelThenDelete() async throws {
        let emulator = try await BatchEmulator.start(pendingSeconds: 3600)
        let created = try await emulator.client.createBatch(
            model: "gemini-2.5-flash", displayName: "to-cancel",
            requests: [InlinedBatchRequest(key: "a", request: BatchEmulator.textRequest("Hi."))])

        try await emulator.client.cancelBatch(name: created.name)
        let cancelled = try await emulator.client.batch(name: created.name)
        #expect(cancelled.state == .cancelled)
        #expect(cancelled.done)
        #expect(cancelled.inlinedResponses == nil)

        try await emulator.client.deleteBatch(name: created.name)
        let error = await #expect(throws: GeminiError.self) { try await emulator.client.batch(name: created.name) }
        #expect(error?.httpStatus == 404)
    }

    /// Create is not idempotent: the same display name twice makes two batches, and list finds both.
    @Test func sameDisplayNameTwiceMakesTwoBatchesThatListPagesThrough() async throws {
        let emulator = try await BatchEmulator.start(pendingSeconds: 3600)
        let request = [InlinedBatchRequest(key: "a", request: BatchEmulator.textRequest("Hi."))]
        let first = try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "library-run-7", requests: request)
        let second = try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "library-run-7", requests: request)
        let other = try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "other", requests: request)

        var seen: [BatchJob] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await emulator.client.listBatches(pageSize: 2, pageToken: token)
            seen += page.operations ?? []
            token = page.nextPageToken
            pages += 1
        } while token != nil && pages < 10

        #expect(first.name != second.name)
        #expect(pages == 2)
        #expect(Set(seen.map(\.name)) == [first.name, second.name, other.name])
        #expect(Set(seen.filter { $0.displayName == "library-run-7" }.map(\.name)) == [first.name, second.name])
        let creates = try await emulator.requests().filter { ($0["path"] as? String)?.hasSuffix(":batchGenerateContent") == true }
        #expect(creates.compactMap { $0["batch"] as? String } == [first.name, second.name, other.name])
    }

    @Test(arguments: [("FAILED", BatchJob.State.failed), ("EXPIRED", .expired)])
    func theAdminCallEndsABatchWithoutResults(name: String, state: BatchJob.State) async throws {
        let emulator = try await BatchEmulator.start(pendingSeconds: 3600)
        let created = try await emulator.client.createBatch(
            model: "gemini-2.5-flash", displayName: "doomed",
            requests: [InlinedBatchRequest(key: "a", request: BatchEmulator.textRequest("Hi."))])

        let answer = try await emulator.admin(
            "POST", "batches/end", #"{"name": "\#(created.name)", "state": "\#(name)", "message": "forced by the test"}"#)
        #expect(answer.status == 200)

        let ended = try await emulator.client.batch(name: created.name)
        #expect(ended.state == state)
        #expect(ended.done)
        #expect(ended.inlinedResponses == nil && ended.responsesFile == nil)
        #expect(ended.endTime != nil)
        if state == .failed {
            #expect(ended.error?.message == "forced by the test")
        } else {
            #expect(ended.error == nil)
        }
        let again = try await emulator.admin("POST", "batches/end", #"{"name": "\#(created.name)", "state": "FAILED"}"#)
        #expect(again.status == 409)
    }

    /// A create that fails with 503 makes no batch; one whose answer is cut off did make one
    /// (the "outcome unknown" case a caller resolves by listing display names).
    @Test func faultsOnCreate() async throws {
        let emulator = try await BatchEmulator.start(pendingSeconds: 3600)
        let request = [InlinedBatchRequest(key: "a", request: BatchEmulator.textRequest("Hi."))]
        try #require(
            try await emulator.admin(
                "POST", "faults",
                #"[{"route": "batchGenerateContent", "action": "status", "status": 503}, {"route": "batchGenerateContent", "action": "cutOff"}]"#
            ).status == 200)

        let refused = await #expect(throws: GeminiError.self) {
            try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "unlucky", requests: request)
        }
        #expect(refused?.httpStatus == 503)
        #expect(try await emulator.client.listBatches().operations == nil)

        let cut = await #expect(throws: GeminiError.self) {
            try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "unknown-outcome", requests: request)
        }
        #expect(cut?.code == .transport)
        let listed = try await emulator.client.listBatches().operations ?? []
        #expect(listed.map(\.displayName) == ["unknown-outcome"])
    }

    @Test func unknownModelAndMissingInputFileAreRefused() async throws {
        let emulator = try await BatchEmulator.start()
        let unknown = await #expect(throws: GeminiError.self) {
            try await emulator.client.createBatch(model: "gemini-0-nope", displayName: "x", inputFile: "files/whatever")
        }
        #expect(unknown?.httpStatus == 404)
        #expect(unknown?.model == "gemini-0-nope")

        let missing = await #expect(throws: GeminiError.self) {
            try await emulator.client.createBatch(model: "gemini-2.5-flash", displayName: "x", inputFile: "files/whatever")
        }
        #expect(missing?.httpStatus == 403)
        #expect(missing?.status == "PERMISSION_DENIED")
    }
}
