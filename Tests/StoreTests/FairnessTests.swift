import Foundation
import Testing

@testable import Store

@Suite struct FairnessTests {
    @Test func aNewPhotoInAnotherFolderIsNotStarvedByABacklog() async throws {
        try await withStore { store, _ in
            let backlog = (0..<10_000).map { image("/a/img\($0).jpg", folder: "/a") }
            try await store.enqueue(backlog, prompts: [describe], now: t0)
            try await store.enqueue(image("/b/new.jpg", folder: "/b"), prompts: [describe], now: t0.addingTimeInterval(60))
            let later = t0.addingTimeInterval(120)
            let first = try await store.claimNext(now: later, limit: 1)
            let second = try await store.claimNext(now: later, limit: 1)
            #expect((first + second).contains { $0.imagePath == "/b/new.jpg" })
            #expect(
                first.first?.imagePath == "/a/img0.jpg" || second.first?.imagePath == "/a/img0.jpg",
                "within folder A the oldest job comes first")
        }
    }

    @Test func oneClaimRoundRobinsAcrossFolders() async throws {
        try await withStore { store, _ in
            try await store.enqueue((0..<5).map { image("/a/\($0).jpg", folder: "/a") }, prompts: [describe], now: t0)
            try await store.enqueue((0..<5).map { image("/b/\($0).jpg", folder: "/b") }, prompts: [describe], now: t0)
            try await store.enqueue((0..<1).map { image("/c/\($0).jpg", folder: "/c") }, prompts: [describe], now: t0)
            let jobs = try await store.claimNext(now: t0, limit: 6)
            #expect(jobs.map(\.folder) == ["/a", "/b", "/c", "/a", "/b", "/a"])
            #expect(jobs.filter { $0.folder == "/a" }.map(\.imagePath) == ["/a/0.jpg", "/a/1.jpg", "/a/2.jpg"])
        }
    }

    @Test func jobsWaitingForARetryAreNotClaimedEarly() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/a/1.jpg", folder: "/a"), prompts: [describe], now: t0)
            let job = try await store.claimNext(now: t0, limit: 1)[0]
            let retryAt = t0.addingTimeInterval(30)
            let state = try await store.fail(
                job, error: JobFailure(code: "http_503", message: "unavailable", httpStatus: 503),
                permanent: false, retryAt: retryAt, now: t0)
            #expect(state == .pending)
            #expect(try await store.nextDue() == retryAt)
            #expect(try await store.claimNext(now: t0.addingTimeInterval(29), limit: 1).isEmpty)
            let retried = try await store.claimNext(now: retryAt, limit: 1)
            #expect(retried.first?.attempts == 1)
        }
    }
}
