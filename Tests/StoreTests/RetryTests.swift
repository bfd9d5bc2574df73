import Foundation
import Testing

@testable import Store

@Suite struct RetryTests {
    let transient = JobFailure(code: "http_500", message: "internal error", httpStatus: 500)

    @Test func aJobFailsForGoodAfterMaxAttempts() async throws {
        try await withStore(maxAttempts: 3) { store, _ in
            try await store.enqueue(image("/p/a.jpg"), prompts: [describe], now: t0)
            var states: [JobState?] = []
            for _ in 0..<3 {
                let job = try #require(try await store.claimNext(now: t0, limit: 1).first)
                states.append(try await store.fail(job, error: transient, permanent: false, retryAt: nil, now: t0))
            }
            #expect(states == [.pending, .pending, .failed])
            #expect(try await store.claimNext(now: t0, limit: 1).isEmpty)
            #expect(try await store.failures(imagePath: "/p/a.jpg") == ["describe": transient])
            #expect(
                try await store.isCurrent(path: "/p/a.jpg", size: 100, mtimeNs: 1_000, prompts: [describe]),
                "a failed job is finished: reconciliation does not retry it")
            #expect(try await store.enqueue(image("/p/a.jpg"), prompts: [describe], now: t0) == 0)
        }
    }

    @Test func aPermanentErrorFailsAtOnce() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/p/a.jpg"), prompts: [describe], now: t0)
            let job = try await store.claimNext(now: t0, limit: 1)[0]
            let blocked = JobFailure(code: "blocked", message: "prompt blocked: SAFETY", httpStatus: 400)
            #expect(try await store.fail(job, error: blocked, permanent: true, retryAt: nil, now: t0) == .failed)
            let status = try await store.status(now: t0)
            #expect(status.counts[.failed] == 1)
            #expect(status.recentFailures.map(\.failure) == [blocked])
            #expect(status.recentFailures.first?.imagePath == "/p/a.jpg")
        }
    }

    @Test func requeueDoesNotCountAnAttempt() async throws {
        try await withStore(maxAttempts: 2) { store, _ in
            try await store.enqueue(image("/p/a.jpg"), prompts: [describe], now: t0)
            for _ in 0..<5 {
                let job = try await store.claimNext(now: t0, limit: 1)[0]
                #expect(job.attempts == 0)
                #expect(try await store.requeue(job, at: t0, now: t0))
            }
            let job = try await store.claimNext(now: t0, limit: 1)[0]
            #expect(try await store.fail(job, error: transient, permanent: false, retryAt: nil, now: t0) == .pending)
        }
    }

    @Test func retryFailedAndReprocessPutJobsBack() async throws {
        try await withStore(maxAttempts: 1) { store, _ in
            try await store.enqueue(
                [image("/p/a.jpg"), image("/p/b.jpg"), image("/q/c.jpg", folder: "/q")],
                prompts: [describe, detect], now: t0)
            for job in try await store.claimNext(now: t0, limit: 10) {
                if job.imagePath == "/p/a.jpg" {
                    try await store.fail(job, error: transient, permanent: false, retryAt: nil, now: t0)
                } else {
                    try await store.complete(job, result: Data(json: "{}"), usage: nil, now: t0)
                }
            }
            #expect(try await store.retryFailed(paths: ["/q"], now: t0) == 0)
            #expect(try await store.retryFailed(paths: nil, now: t0) == 2)
            let retried = try await store.claimNext(now: t0, limit: 10)
            #expect(
                Set(retried.map(\.key)) == [
                    JobKey(imagePath: "/p/a.jpg", prompt: "describe"),
                    JobKey(imagePath: "/p/a.jpg", prompt: "detect"),
                ])
            #expect(retried.allSatisfy { $0.attempts == 0 })
            for job in retried { try await store.complete(job, result: Data(json: "{}"), usage: nil, now: t0) }

            #expect(try await store.reprocess(paths: ["/p/b.jpg"], prompt: "detect", now: t0) == 1)
            #expect(try await store.claimNext(now: t0, limit: 10).map(\.key) == [JobKey(imagePath: "/p/b.jpg", prompt: "detect")])
            #expect(try await store.reprocess(paths: ["/p"], prompt: nil, now: t0) == 4)
            #expect(try await store.reprocess(paths: nil, prompt: "describe", now: t0) == 3)
            #expect(try await store.status(now: t0).counts[.pending] == 5)
        }
    }
}
