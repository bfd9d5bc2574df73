import Foundation
import Testing

@testable import Store

/// Jobs left running by a process that ended abnormally: an attempt spent, suspects run alone, and a job in
/// flight at two abnormal ends in a row quarantined; a clean stop's jobs come back with nothing spent.
@Suite struct AbnormalEndTests {
    @Test func aJobInFlightAtTwoAbnormalEndsInARowIsQuarantined() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/a/1.jpg", folder: "/a"), prompts: [describe], now: t0)
            _ = try await store.claimNext(now: t0, limit: 4)
            let first = try await store.recoverAfterAbnormalEnd(now: t0)
            #expect(first.requeued.map(\.attempts) == [1] && first.requeued.map(\.crashes) == [1] && first.quarantined.isEmpty)

            _ = try await store.claimNext(now: t0, limit: 4)
            let second = try await store.recoverAfterAbnormalEnd(now: t0)
            #expect(second.requeued.isEmpty && second.quarantined.map(\.attempts) == [2])
            let failure = try #require(try await store.failures(imagePath: "/a/1.jpg")["describe"])
            #expect(failure.code == Store.crashedTheDaemon)
            #expect(try await store.claimNext(now: t0, limit: 4).isEmpty, "never retried by itself")

            #expect(try await store.retryFailed(paths: ["/a/1.jpg"], now: t0) == 1)
            let again = try #require(try await store.claimNext(now: t0, limit: 4).first)
            #expect(again.crashes == 0 && again.attempts == 0, "`dropsight retry` starts it afresh")
        }
    }

    @Test func anEndInBetweenClearsTheSuspicion() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/a/1.jpg", folder: "/a"), prompts: [describe], now: t0)
            _ = try await store.claimNext(now: t0, limit: 4)
            _ = try await store.recoverAfterAbnormalEnd(now: t0)
            let suspect = try #require(try await store.claimNext(now: t0, limit: 4).first)
            #expect(try await store.requeue(suspect, at: t0, now: t0))
            _ = try await store.claimNext(now: t0, limit: 4)
            let recovery = try await store.recoverAfterAbnormalEnd(now: t0)
            #expect(recovery.quarantined.isEmpty && recovery.requeued.map(\.crashes) == [1])
        }
    }

    @Test func aSuspectWaitsForTheOthersAndRunsAlone() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/a/1.jpg", folder: "/a"), prompts: [describe], now: t0)
            _ = try await store.claimNext(now: t0, limit: 4)
            _ = try await store.recoverAfterAbnormalEnd(now: t0)
            try await store.enqueue(image("/a/2.jpg", folder: "/a"), prompts: [describe, detect], now: t0.addingTimeInterval(1))
            try await store.enqueue(image("/b/3.jpg", folder: "/b"), prompts: [describe], now: t0.addingTimeInterval(1))

            #expect(try await store.claimNext(now: t0.addingTimeInterval(2), limit: 4, othersRunning: true).isEmpty)
            let alone = try await store.claimNext(now: t0.addingTimeInterval(2), limit: 4)
            #expect(alone.map(\.imagePath) == ["/a/1.jpg"])
            #expect(try await store.claimNext(now: t0.addingTimeInterval(2), limit: 4, othersRunning: true).count == 3)
        }
    }

    @Test func aCleanStopReleasesItsJobsWithNothingSpent() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/a/1.jpg", folder: "/a"), prompts: [describe], now: t0)
            _ = try await store.claimNext(now: t0, limit: 4)
            #expect(try await store.releaseRunning() == 1)
            let recovery = try await store.recoverAfterAbnormalEnd(now: t0)
            #expect(recovery.requeued.isEmpty && recovery.quarantined.isEmpty)
            let job = try #require(try await store.claimNext(now: t0, limit: 4).first)
            #expect(job.attempts == 0 && job.crashes == 0)
        }
    }
}
