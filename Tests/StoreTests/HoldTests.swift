import Foundation
import Testing

@testable import Store

/// The Store's side of account-level holds: jobs of held prompts stay queued, and the holds are shown by `status`.
@Suite struct HoldTests {
    @Test func jobsOfSkippedPromptsStayPendingAndAreNotDue() async throws {
        try await withStore { store, _ in
            try await store.enqueue(image("/a/1.jpg", folder: "/a"), prompts: [describe, detect], now: t0)
            #expect(try await store.nextDue(skipping: ["describe", "detect"]) == nil)
            #expect(try await store.nextDue(skipping: ["detect"]) == t0)
            let claimed = try await store.claimNext(now: t0, limit: 5, skipping: ["detect"])
            #expect(claimed.map(\.prompt) == ["describe"])
            #expect(try await store.claimNext(now: t0, limit: 5, skipping: ["detect"]).isEmpty)
            #expect(try await store.claimNext(now: t0, limit: 5).map(\.prompt) == ["detect"])
        }
    }

    @Test func holdsAreRecordedUpdatedAndCleared() async throws {
        try await withStore { store, _ in
            let key = HoldRecord(model: nil, reason: "held: the API key was refused", since: t0, nextCheck: t0.addingTimeInterval(60))
            let model = HoldRecord(
                model: "gemini-0", reason: "held: model gemini-0 is not found", since: t0, nextCheck: t0.addingTimeInterval(60))
            try await store.recordHold(model)
            try await store.recordHold(key)
            var later = key
            later.nextCheck = t0.addingTimeInterval(180)
            try await store.recordHold(later)
            #expect(try await store.status(now: t0).holds == [later, model], "one row per scope, the key's first")
            try await store.clearHold(model: nil)
            #expect(try await store.status(now: t0).holds == [model])
            try await store.clearHolds()
            #expect(try await store.status(now: t0).holds.isEmpty)
        }
    }
}
