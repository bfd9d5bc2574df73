import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiAPI

/// `BatchJob` reads both state spellings and both places the output may be, and result lines decode.
@Suite struct BatchJobDecodingTests {
    /// A raw Operation: `BATCH_STATE_*`, output under `metadata.output`, int64 counts as strings.
    static let rawOperation = """
        {"name": "batches/o08hk76gv328ihxcssjsgwt3g6omtfysxi46",
         "metadata": {"@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch",
          "model": "models/gemini-2.5-flash", "displayName": "library-1",
          "output": {"responsesFile": "files/batch-o08hk76gv328ihxcssjsgwt3g6omtfysxi46"},
          "createTime": "2025-07-01T21:05:29.139829Z", "endTime": "2025-07-01T21:11:40.000000Z",
          "updateTime": "2025-07-01T21:11:40.000000Z",
          "batchStats": {"requestCount": "3", "successfulRequestCount": "2", "failedRequestCount": "1"},
          "state": "BATCH_STATE_SUCCEEDED", "name": "batches/o08hk76gv328ihxcssjsgwt3g6omtfysxi46"},
         "done": true}
        """

    /// The docs' shape: `JOB_STATE_*`, inline output under `response` only.
    static let docsOperation = """
        {"name": "batches/abc", "done": true,
         "metadata": {"state": "JOB_STATE_SUCCEEDED", "batchStats": {"requestCount": 2, "pendingRequestCount": "0"}},
         "response": {"@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput",
          "inlinedResponses": {"inlinedResponses": [
            {"response": {"candidates": [{"content": {"parts": [{"text": "one"}], "role": "model"}}]}, "metadata": {"key": "a"}},
            {"error": {"code": 400, "message": "bad", "status": "INVALID_ARGUMENT"}, "metadata": {"key": "b"}}]}}}
        """

    @Test func rawOperationWithBatchStateAndMetadataOutput() throws {
        let job = try JSONDecoder().decode(BatchJob.self, from: Data(Self.rawOperation.utf8))
        #expect(job.name == "batches/o08hk76gv328ihxcssjsgwt3g6omtfysxi46")
        #expect(job.state == .succeeded)
        #expect(job.stateName == "BATCH_STATE_SUCCEEDED")
        #expect(job.done)
        #expect(job.displayName == "library-1")
        #expect(job.model == "models/gemini-2.5-flash")
        #expect(job.responsesFile == "files/batch-o08hk76gv328ihxcssjsgwt3g6omtfysxi46")
        #expect(job.stats.requestCount == 3)
        #expect(job.stats.successfulRequestCount == 2)
        #expect(job.stats.failedRequestCount == 1)
        #expect(job.stats.pendingRequestCount == 0)
        let ran = try #require(job.endTime).timeIntervalSince(try #require(job.createTime))
        #expect(abs(ran - 370.860171) < 1e-3)
    }

    @Test func docsOperationWithJobStateAndResponseOutput() throws {
        let job = try JSONDecoder().decode(BatchJob.self, from: Data(Self.docsOperation.utf8))
        #expect(job.state == .succeeded)
        #expect(job.stats.requestCount == 2)
        let answers = try #require(job.inlinedResponses)
        #expect(answers.map(\.key) == ["a", "b"])
        #expect(answers[0].response?.text == "one")
        #expect(answers[1].error?.status == "INVALID_ARGUMENT")
        #expect(answers[1].response == nil)
    }

    @Test func everyStateNameReadsTheSameInBothSpellings() {
        for state in BatchJob.State.allCases where state != .unspecified {
            #expect(BatchJob.State(wireName: "BATCH_STATE_\(state.rawValue)") == state)
            #expect(BatchJob.State(wireName: "JOB_STATE_\(state.rawValue)") == state)
        }
        #expect(BatchJob.State(wireName: "BATCH_STATE_SOMETHING_NEW") == .unspecified)
        #expect(BatchJob.State.succeeded.isDone && BatchJob.State.expired.isDone)
        #expect(!BatchJob.State.pending.isDone && !BatchJob.State.running.isDone)
    }

    /// The captured results file (2.5 Flash, cookbook): each line decodes with its key and usage.
    @Test func capturedResultLinesDecode() throws {
        let text = try ReferenceExamples.text("batch_results_file_generateContent.jsonl")
        let lines = try text.split(separator: "\n").map { try JSONDecoder().decode(BatchResultLine.self, from: Data($0.utf8)) }
        #expect(lines.map(\.key) == ["request_1", "request_2"])
        #expect(lines[0].response?.text == "AI learns patterns from data to make decisions or predictions.")
        #expect(lines[0].response?.usageMetadata?.totalTokenCount == 848)
        #expect(lines[1].response?.usageMetadata?.thoughtsTokenCount == 1180)
        #expect(lines.allSatisfy { $0.error == nil })
    }
}
