import Foundation
import GeminiAPI
import Testing

@testable import Dropsight

/// The pure rules of the batch steps: how polls space out, and which create answers say no batch was made.
@Suite struct BatchRulesTests {
    @Test func pollsSpaceOutUpToTenTimesBatchPoll() {
        let base = Duration.seconds(60)
        #expect(BatchSteps.pollWait(base: base, polls: 0) == base)
        #expect(BatchSteps.pollWait(base: base, polls: 1) == .seconds(75))
        let waits = (0..<40).map { BatchSteps.pollWait(base: base, polls: $0) }
        #expect(zip(waits, waits.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(waits.last == .seconds(600))
    }

    @Test func onlyAClearRefusalMeansNoBatchWasMade() {
        func http(_ status: Int) -> GeminiError { GeminiError(code: .http, httpStatus: status, message: "x") }
        #expect(BatchSteps.surelyNotCreated(http(400)))
        #expect(BatchSteps.surelyNotCreated(http(403)))
        #expect(BatchSteps.surelyNotCreated(http(404)))
        for unknown in [http(408), http(429), http(500), http(503)] { #expect(!BatchSteps.surelyNotCreated(unknown)) }
        #expect(!BatchSteps.surelyNotCreated(GeminiError(code: .transport, message: "connection reset")))
        #expect(!BatchSteps.surelyNotCreated(GeminiError(code: .malformedResponse, httpStatus: 200, message: "cut off")))
    }
}
