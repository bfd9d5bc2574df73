import Foundation
import Testing

@testable import Store

/// The IMAGE token counts the daemon keeps per model and media resolution, across a reopen.
@Suite struct ImageTokenTests {
    @Test func theLatestCountPerModelAndLevelIsKeptAcrossAReopen() async throws {
        try await withStore { store, dir in
            try await store.recordImageTokens(ImageTokenRecord(model: "m", mediaResolution: "default", tokens: 1120, observedAt: t0))
            try await store.recordImageTokens(ImageTokenRecord(model: "m", mediaResolution: "low", tokens: 280, observedAt: t0))
            try await store.recordImageTokens(
                ImageTokenRecord(model: "m", mediaResolution: "default", tokens: 1087, observedAt: t0.addingTimeInterval(5)))
            let reopened = try await Store.open(path: dir.path + "/state/dropsight.sqlite", maxAttempts: 8)
            let kept = try await reopened.imageTokenRecords()
            #expect(kept.map { "\($0.model) \($0.mediaResolution) \($0.tokens)" } == ["m default 1087", "m low 280"])
            #expect(kept.first?.observedAt == t0.addingTimeInterval(5))
        }
    }
}
