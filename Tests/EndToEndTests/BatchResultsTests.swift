import DropsightTestSupport
import Foundation
import InMemoryLogging
import Store
import Testing

@testable import Dropsight

extension BatchTests {
    @Suite struct Results {
        /// A results file with every kind of line: an answer, a permanent error, a transient error, a file gone,
        /// a line that is not JSON, an unknown key, a job not in the batch, the same answer twice, a cut-off last
        /// line, and a job with no line. Each gets its rule; nothing crashes and no other work is lost.
        @Test func everyKindOfLineFollowsItsRule() async throws {
            let h = try await Harness.batchHarness()
            let photos = try h.dropPhotos(5)
            let config = try h.configuration()
            let logs = InMemoryLogHandler(level: .info)
            let logger = logs.logger(label: "batch-results")
            let runtime = try Runtime(configuration: config, environment: h.environment, logger: logger)
            let store = runtime.store
            let caption = try #require(config.prompts["caption"])
            for photo in photos {
                let data = try #require(FileManager.default.contents(atPath: photo))
                try await store.enqueue(
                    ImageRecord(path: photo, folder: h.inbox, size: Int64(data.count), mtimeNs: 0, sha256: FileHash.sha256Hex(data)),
                    prompts: [PromptSpec(name: "caption", hash: caption.definitionHash(defaultModel: config.api.model))], now: Date())
            }
            let (batch, jobs) = try #require(
                try await store.beginBatch(
                    displayName: "dropsight-test", model: config.api.model, folders: [h.inbox], prompts: ["caption"], limit: 10,
                    now: Date()))
            #expect(jobs.count == 5)
            let facts = PromptRunner.RequestFacts(
                sent: .init(width: 64, height: 48, bytes: 900, mimeType: "image/jpeg", estimatedTokens: 258, transport: "file"),
                thinking: nil, images: 1, files: ["files/gone"])
            for job in jobs { try await store.setBatchSent(batch: batch.id, job: job.id, sent: JSONEncoder().encode(facts)) }
            try await store.batchPrepared(batch.id, inputFile: "files/input", requests: 5, bytes: 1000, now: Date())
            try await store.batchCreated(batch.id, name: "batches/test", remoteState: nil, nextPollAt: Date(), now: Date())
            try await store.batchSucceeded(batch.id, resultsFile: "files/batch-test", remoteState: nil, now: Date())
            try await store.batchDownloaded(batch.id, now: Date())

            let answer =
                #"{"candidates":[{"content":{"parts":[{"text":"A red square on white."}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":300,"candidatesTokenCount":6,"totalTokenCount":306}}"#
            let (ok, permanent, transient, gone, missing) = (jobs[0].id, jobs[1].id, jobs[2].id, jobs[3].id, jobs[4].id)
            let lines = [
                #"{"key":"\#(ok)","response":\#(answer)}"#,
                #"{"key":"\#(permanent)","error":{"code":400,"message":"Unable to process input image.","status":"INVALID_ARGUMENT"}}"#,
                "not json at all",
                #"{"key":"abc","response":\#(answer)}"#,
                #"{"key":"999999","response":\#(answer)}"#,
                #"{"key":"\#(transient)","error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#,
                #"{"key":"\#(gone)","error":{"code":403,"message":"You do not have permission to access the File gone or it may not exist.","status":"PERMISSION_DENIED"}}"#,
                #"{"key":"\#(ok)","response":\#(answer)}"#,
                #"{"key":"\#(missing)","respo"#,
            ]
            let stepsRunner = JobRunner(
                settings: SettingsHolder(config), store: store, runtime: runtime,
                limiter: RateLimiter(requestsPerMinute: 0, tokensPerMinute: 0),
                publisher: SidecarPublisher(store: store, limits: config.images, logger: logger), subjects: SubjectCache(), logger: logger,
                progress: ProgressCounter(), holds: HoldBoard(store: store, logger: logger))
            let steps = BatchSteps(store: store, runtime: runtime, jobs: stepsRunner, stopping: StopFlag(), logger: logger)
            try FileManager.default.createDirectory(atPath: steps.directory, withIntermediateDirectories: true)
            let recorded = try #require(try await store.batch(id: batch.id))
            try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: steps.resultsPath(recorded)))

            await steps.publish(recorded, config: config)

            let answered = try #require(h.sidecar(of: photos[0])?.prompts["caption"])
            #expect(answered.status == .ok && answered.text == "A red square on white.")
            #expect(answered.transport == "batch" && answered.batch == "batches/test" && answered.usage?.totalTokens == 306)
            #expect(answered.sent?.transport == "file")
            let refused = try #require(h.sidecar(of: photos[1])?.prompts["caption"])
            #expect(refused.status == .error && refused.error?.message == "Unable to process input image.")
            #expect(try await store.state(of: jobs[1].key) == .failed)
            for job in [jobs[2], jobs[3], jobs[4]] {
                #expect(try await store.state(of: job.key) == .pending, "\(job.imagePath) is queued again")
            }
            let retried = try await store.claimNext(now: Date().addingTimeInterval(3600), limit: 10)
            #expect(retried.count == 3 && retried.allSatisfy { $0.attempts == 1 }, "one attempt counted each")
            #expect(try await store.openBatches().isEmpty)
            #expect(try await store.recentBatches(limit: 1).first?.outcome == "succeeded")
            #expect(logs.contains("line 3: not a result line"))
            #expect(logs.contains("key \"abc\" is not a job of this batch"))
            #expect(logs.contains("line 9: not a result line"))
            #expect(logs.contains("files/gone is gone on the server"))
            #expect(!FileManager.default.fileExists(atPath: steps.resultsPath(recorded)))
        }
    }
}
