import DropsightTestSupport
import Foundation
import Testing

@testable import Store

/// Batch steps in the Store: members are claimed for one batch only, survive a clean stop and crash recovery,
/// are applied once, and go back to the queue when the batch ends.
@Suite struct BatchStoreTests {
    private func begin(_ store: Store, name: String = "dropsight-a", limit: Int = 10) async throws -> (BatchRecord, [Job]) {
        try #require(
            try await store.beginBatch(
                displayName: name, model: "gemini-2.5-flash", folders: ["/photos"], prompts: ["describe", "detect"],
                limit: limit, now: t0))
    }

    @Test func membersAreNeverClaimedInteractivelyNorReleasedByAStopOrACrash() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe, detect], now: t0)
            try await store.enqueue(image("/photos/b.jpg", sha: "sha-2"), prompts: [describe], now: t0)
            let (batch, jobs) = try await begin(store, limit: 2)
            #expect(batch.phase == .preparing)
            #expect(jobs.count == 2)
            #expect(try await store.batchable(folders: ["/photos"], prompts: ["describe", "detect"], now: t0).count == 1)
            let interactive = try await store.claimNext(now: t0, limit: 10)
            #expect(interactive.count == 1 && !jobs.map(\.id).contains(interactive[0].id), "no job is in a batch and interactive")
            #expect(
                try await store.beginBatch(
                    displayName: "dropsight-b", model: "m", folders: ["/photos"], prompts: ["describe", "detect"], limit: 10, now: t0)
                    == nil)

            #expect(try await store.releaseRunning() == 1, "a clean stop releases the interactive job only")
            try await store.batchPrepared(batch.id, inputFile: "files/in", requests: 2, bytes: 900, now: t0)
            #expect(try await store.recoverAfterAbnormalEnd(now: t0).requeued.isEmpty, "crash recovery leaves batch members to the batch")
            #expect(try await store.batchMembers(batch.id).map(\.id) == jobs.map(\.id))
        }
    }

    /// A batch cut short while it was prepared: the member being prepared counts the abnormal end like a job in
    /// flight; the one already written and the rest go back to the queue with no attempt spent.
    @Test func aBatchCutShortWhilePreparedCountsTheCrashOnTheMemberBeingPrepared() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe, detect], now: t0)
            try await store.enqueue(image("/photos/b.jpg", sha: "sha-2"), prompts: [describe], now: t0)
            let (batch, jobs) = try await begin(store, limit: 3)
            try await store.setBatchSent(batch: batch.id, job: jobs[0].id, sent: Data("{}".utf8))
            let recovery = try await store.recoverAfterAbnormalEnd(now: t0)
            #expect(recovery.requeued.map(\.id) == [jobs[1].id], "the member being prepared is the suspect")
            #expect(recovery.requeued.first?.crashes == 1 && recovery.requeued.first?.attempts == 1)
            #expect(try await store.openBatches().isEmpty, "the batch is ended")
            #expect(try await store.claimNext(now: t0, limit: 10).map(\.id) == [jobs[1].id], "the suspect runs alone")
            #expect(
                try await store.batchable(folders: ["/photos"], prompts: ["describe", "detect"], now: t0).count == 2, "the others wait")
        }
    }

    @Test func stepsAreRecordedAndALineAppliesOnce() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe, detect], now: t0)
            let (batch, jobs) = try await begin(store)
            try await store.setBatchSent(batch: batch.id, job: jobs[0].id, sent: Data(json: #"{"images":1}"#))
            try await store.batchPrepared(batch.id, inputFile: "files/in", requests: 2, bytes: 900, now: t0)
            #expect(try await store.batch(id: batch.id)?.phase == .creating)
            #expect(try await store.batch(id: batch.id)?.name == nil, "the name is unknown until the create answers")
            try await store.batchCreated(batch.id, name: "batches/x", remoteState: "BATCH_STATE_PENDING", nextPollAt: t0, now: t0)
            try await store.batchPolled(batch.id, remoteState: "BATCH_STATE_RUNNING", nextPollAt: t0.addingTimeInterval(60), now: t0)
            try await store.batchSucceeded(batch.id, resultsFile: "files/batch-x", remoteState: "BATCH_STATE_SUCCEEDED", now: t0)
            try await store.batchDownloaded(batch.id, now: t0)
            let record = try #require(try await store.batch(id: batch.id))
            #expect(record.phase == .publishing && record.polls == 1 && record.resultsFile == "files/batch-x" && record.requests == 2)

            let member = try #require(try await store.batchMember(batch.id, job: jobs[0].id))
            #expect(member.sent == Data(json: #"{"images":1}"#))
            #expect(try await store.complete(member.job, result: Data(json: "{}"), usage: nil, now: t0))
            #expect(try await store.batchMember(batch.id, job: jobs[0].id) == nil, "a finished job's line is not applied again")
            #expect(try await store.batchMember(batch.id, job: 999_999) == nil, "an unknown key")

            try await store.endBatch(batch.id, outcome: "succeeded", now: t0)
            #expect(try await store.openBatches().isEmpty)
            #expect(try await store.state(of: jobs[1].key) == .pending, "a member left without an answer is queued again")
            #expect(try await store.state(of: jobs[0].key) == .done)
        }
    }

    @Test func aChangedImageLeavesItsBatch() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe], now: t0)
            let (batch, jobs) = try await begin(store)
            try await store.enqueue(image("/photos/a.jpg", sha: "sha-2", size: 120, mtime: 2_000), prompts: [describe], now: t0)
            #expect(try await store.batchMember(batch.id, job: jobs[0].id) == nil)
            #expect(try await store.batchMembers(batch.id).isEmpty)
            let again = try await store.claimNext(now: t0, limit: 10)
            #expect(again.map(\.id) == [jobs[0].id], "the new content runs on its own")
        }
    }

    @Test func releasedJobsGoBackWithoutAnAttempt() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe, detect], now: t0)
            let (batch, jobs) = try await begin(store)
            #expect(try await store.releaseFromBatch(batch.id, jobs: [jobs[1]], now: t0) == 1)
            #expect(try await store.batchMembers(batch.id).map(\.id) == [jobs[0].id])
            let claimed = try await store.claimNext(now: t0, limit: 10)
            #expect(claimed.map(\.id) == [jobs[1].id] && claimed[0].attempts == 0)
        }
    }
}

/// The files a batch still needs are known, so making room under the quota never deletes them.
@Suite struct BatchUploadPinTests {
    @Test func theUploadsOfAnOpenBatchAreItsMembersCopiesAndItsInput() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe], now: t0)
            try await store.enqueue(image("/photos/b.jpg", sha: "sha-2"), prompts: [describe], now: t0)
            try await store.linkUpload(name: "files/a-copy", toImage: "/photos/a.jpg")
            try await store.linkUpload(name: "files/b-copy", toImage: "/photos/b.jpg")
            let (batch, _) = try #require(
                try await store.beginBatch(
                    displayName: "dropsight-pin", model: "gemini-2.5-flash", folders: ["/photos"], prompts: ["describe"], limit: 1,
                    now: t0))
            try await store.batchPrepared(batch.id, inputFile: "files/input", requests: 1, bytes: 100, now: t0)
            #expect(try await store.uploadsInOpenBatches() == ["files/a-copy", "files/input"])
            try await store.endBatch(batch.id, outcome: "succeeded", now: t0)
            #expect(try await store.uploadsInOpenBatches().isEmpty)
        }
    }
}
