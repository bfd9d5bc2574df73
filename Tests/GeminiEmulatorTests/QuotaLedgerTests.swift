import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// Per-minute and per-day quotas, answered with the real 429 body and the true wait.
@Suite(.cleansUp) struct QuotaLedgerTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func requestsPerMinuteRefuseUntilTheOldestLeavesTheWindow() {
        let ledger = QuotaLedger(limits: .init(requestsPerMinute: 2))

        #expect(ledger.admit(model: "m", tokens: 10, now: start) == nil)
        #expect(ledger.admit(model: "m", tokens: 10, now: start.addingTimeInterval(20)) == nil)
        let refused = ledger.admit(model: "m", tokens: 10, now: start.addingTimeInterval(45))

        #expect(refused?.quota == .requestsPerMinute)
        #expect(refused?.retryAfterSeconds == 15)
        #expect(ledger.admit(model: "other", tokens: 10, now: start.addingTimeInterval(45)) == nil)
        #expect(ledger.admit(model: "m", tokens: 10, now: start.addingTimeInterval(60)) == nil)
    }

    @Test func tokensPerMinuteWaitForEnoughTokensToExpire() {
        let ledger = QuotaLedger(limits: .init(tokensPerMinute: 1000))
        #expect(ledger.admit(model: "m", tokens: 600, now: start) == nil)
        #expect(ledger.admit(model: "m", tokens: 300, now: start.addingTimeInterval(30)) == nil)

        let refused = ledger.admit(model: "m", tokens: 400, now: start.addingTimeInterval(40))

        #expect(refused?.quota == .inputTokensPerMinute)
        #expect(refused?.retryAfterSeconds == 20)
        #expect(ledger.admit(model: "m", tokens: 100, now: start.addingTimeInterval(40)) == nil)
    }

    @Test func theDailyQuotaSaysSoAndResetsAtPacificMidnight() throws {
        let ledger = QuotaLedger(limits: .init(requestsPerDay: 1))
        // 2027-01-15 10:00 UTC is 02:00 Pacific (PST): 22 hours to midnight.
        let morning = try #require(ISO8601DateFormatter().date(from: "2027-01-15T10:00:00Z"))
        #expect(ledger.admit(model: "gemini-2.5-flash", tokens: 1, now: morning) == nil)

        let refused = try #require(ledger.admit(model: "gemini-2.5-flash", tokens: 1, now: morning))
        let body = refused.googleError

        #expect(refused.retryAfterSeconds == 22 * 3600)
        #expect(body.code == 429)
        #expect(
            body.message.contains(
                "Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 1, model: gemini-2.5-flash"
            ))
        #expect(body.details.last?["retryDelay"] == .string("79200s"))
        #expect(ledger.admit(model: "gemini-2.5-flash", tokens: 1, now: morning.addingTimeInterval(22 * 3600)) == nil)
    }

    @Test func theServerAnswers429AndTheClockReleasesIt() async throws {
        let emulator = try await EmulatorHarness.start { $0.requestsPerMinute = 1 }
        let path = "/v1beta/models/gemini-2.0-flash:generateContent"
        let body = #"{"contents": [{"parts": [{"text": "hi"}]}]}"#

        let first = try await emulator.postJSON(path, body)
        let second = try await emulator.postJSON(path, body)
        _ = try await emulator.admin(.post, "clock", #"{"advanceSeconds": 61}"#)
        let third = try await emulator.postJSON(path, body)

        #expect(first.status == 200)
        #expect(second.status == 429)
        #expect(second.json?["error"]?["status"] == .string("RESOURCE_EXHAUSTED"))
        let quotaID = second.json?["error"]?["details"]?.arrayValue?.first?["violations"]?.arrayValue?.first?["quotaId"]
        #expect(quotaID == .string("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"))
        #expect(third.status == 200)
        await emulator.stop()
    }
}
