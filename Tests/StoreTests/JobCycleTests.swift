import DropsightTestSupport
import Foundation
import Testing

@testable import Store

@Suite struct JobCycleTests {
    @Test func enqueueClaimCompleteGivesResults() async throws {
        try await withStore { store, _ in
            let queued = try await store.enqueue(image("/photos/a.jpg"), prompts: [describe, detect], now: t0)
            #expect(queued == 2)
            let jobs = try await store.claimNext(now: t0, limit: 10)
            #expect(Set(jobs.map(\.prompt)) == ["describe", "detect"])
            #expect(jobs.allSatisfy { $0.sha256 == "sha-1" && $0.imagePath == "/photos/a.jpg" && $0.folder == "/photos" })
            #expect(try await store.claimNext(now: t0, limit: 10).isEmpty, "running jobs are not claimed twice")

            let usage = Usage(model: "gemini-2.5-flash", promptTokens: 300, outputTokens: 50, thoughtsTokens: 0, totalTokens: 350)
            for job in jobs {
                let accepted = try await store.complete(job, result: Data(json: #"{"\#(job.prompt)":1}"#), usage: usage, now: t0)
                #expect(accepted)
            }
            let results = try await store.results(imagePath: "/photos/a.jpg")
            #expect(results == ["describe": Data(json: #"{"describe":1}"#), "detect": Data(json: #"{"detect":1}"#)])
            #expect(try await store.state(of: JobKey(imagePath: "/photos/a.jpg", prompt: "describe")) == .done)

            let again = try await store.enqueue(image("/photos/a.jpg"), prompts: [describe, detect], now: t0)
            #expect(again == 0, "unchanged content and prompts are not queued again")
            let status = try await store.status(now: t0)
            #expect(status.counts[.done] == 2)
            #expect(status.tokensTotal == 700)
        }
    }

    @Test func runningJobsReturnToPendingAfterACrash() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-store")
        defer { dir.cleanup() }
        let path = dir.path + "/dropsight.sqlite"
        let claimed: [Job]
        do {
            let store = try Store(path: path)
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe], now: t0)
            claimed = try await store.claimNext(now: t0, limit: 1)
            #expect(claimed.count == 1)
        }
        let reopened = try Store(path: path)
        #expect(try await reopened.status(now: t0).counts[.running] == 1)
        #expect(try await reopened.recoverAfterAbnormalEnd(now: t0).requeued.count == 1)
        #expect(try await reopened.status(now: t0).counts[.pending] == 1)
        let stale = try await reopened.complete(claimed[0], result: Data(json: "{}"), usage: nil, now: t0)
        #expect(!stale, "the dead worker's claim is no longer valid")
        let again = try await reopened.claimNext(now: t0, limit: 1)
        #expect(again.map(\.key) == claimed.map(\.key))
        #expect(try await reopened.complete(again[0], result: Data(json: "{}"), usage: nil, now: t0))
    }

    @Test func contentChangeRequeuesEveryPromptAndPromptChangeOnlyThatPrompt() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe, detect], now: t0)
            for job in try await store.claimNext(now: t0, limit: 10) {
                try await store.complete(job, result: Data(json: "{}"), usage: nil, now: t0)
            }
            // Touched but same content: nothing to do, but the new mtime is recorded.
            let touched = image("/photos/a.jpg", mtime: 2_000)
            #expect(try await store.enqueue(touched, prompts: [describe, detect], now: t0) == 0)
            #expect(try await store.isCurrent(path: "/photos/a.jpg", size: 100, mtimeNs: 2_000, prompts: [describe, detect]))

            let changedDetect = PromptSpec(name: "detect", hash: "h-detect-2")
            #expect(try await store.enqueue(touched, prompts: [describe, changedDetect], now: t0) == 1)
            let detectOnly = try await store.claimNext(now: t0, limit: 10)
            #expect(detectOnly.map(\.prompt) == ["detect"])
            #expect(detectOnly.first?.promptHash == "h-detect-2")
            #expect(
                try await store.results(imagePath: "/photos/a.jpg").keys.sorted() == ["describe"],
                "a stale result is not offered for the sidecar")
            try await store.complete(detectOnly[0], result: Data(json: "{}"), usage: nil, now: t0)

            let newContent = image("/photos/a.jpg", sha: "sha-2", size: 120, mtime: 3_000)
            #expect(!(try await store.isCurrent(path: "/photos/a.jpg", size: 120, mtimeNs: 3_000, prompts: [describe, changedDetect])))
            #expect(try await store.enqueue(newContent, prompts: [describe, changedDetect], now: t0) == 2)
            let both = try await store.claimNext(now: t0, limit: 10)
            #expect(Set(both.map(\.prompt)) == ["describe", "detect"])
            #expect(both.allSatisfy { $0.sha256 == "sha-2" })
        }
    }

    @Test func contentChangeWhileRunningDiscardsTheOldAttempt() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe], now: t0)
            let old = try await store.claimNext(now: t0, limit: 1)[0]
            try await store.enqueue(image("/photos/a.jpg", sha: "sha-2"), prompts: [describe], now: t0)
            #expect(!(try await store.complete(old, result: Data(json: #"{"old":1}"#), usage: nil, now: t0)))
            let fresh = try await store.claimNext(now: t0, limit: 1)
            #expect(fresh.first?.sha256 == "sha-2")
        }
    }

    @Test func dropRemovesPendingJobsOfAnImageOrAFolder() async throws {
        try await withStore { store, _ in
            try await store.enqueue(
                [
                    image("/photos/a.jpg"), image("/photos/sub/b.jpg"), image("/photos/sub/c.jpg"),
                    image("/photos/subway.jpg"),
                ], prompts: [describe], now: t0)
            #expect(try await store.drop(imagePath: "/photos/a.jpg") == 1)
            #expect(try await store.drop(imagePath: "/photos/sub") == 2, "a folder drops everything below it, not /photos/subway.jpg")
            let left = try await store.claimNext(now: t0, limit: 10)
            #expect(left.map(\.imagePath) == ["/photos/subway.jpg"])
        }
    }

    @Test func forgottenImagesLoseTheirRecordsAndRemovedPromptsTheirPendingJobs() async throws {
        try await withStore { store, _ in
            try await store.enqueue([image("/photos/a.jpg"), image("/photos/sub/b.jpg")], prompts: [describe, detect], now: t0)
            let describeJobs = try await store.claimNext(now: t0, limit: 10).filter { $0.prompt == "describe" }
            #expect(describeJobs.count == 2)
            for job in describeJobs { try await store.complete(job, result: Data(json: "{}"), usage: nil, now: t0) }
            try await store.releaseRunning()

            #expect(try await store.dropPending(promptsNotIn: ["describe"]) == 2)
            #expect(try await store.status(now: t0).counts == [.pending: 0, .running: 0, .done: 2, .failed: 0])

            #expect(try await store.forget(imagePath: "/photos/sub/") == 1)
            #expect(try await store.fingerprints(folder: "/photos").keys.sorted() == ["/photos/a.jpg"])
            #expect(try await store.results(imagePath: "/photos/sub/b.jpg").isEmpty)
            #expect(try await store.forget(imagePath: "/") == 1, "the root folder holds every image")
        }
    }
}
