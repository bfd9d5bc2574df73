import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiAPI

/// Which answers are about the account (the key, the project, the model, billing) and which about the request,
/// on the real payloads in `shared/reference/gemini-examples` and the texts quoted in the API references.
@Suite struct AccountProblemTests {
    func reference(_ name: String, status: Int, model: String? = "gemini-2.5-flash") throws -> GeminiError {
        var e = GeminiError.from(httpStatus: status, body: try ReferenceExamples.data(name))
        e.model = model
        return e
    }

    func answer(_ status: Int, _ rpc: String, _ message: String, details: String = "", model: String? = "gemini-2.5-flash") -> GeminiError {
        let escaped = String(decoding: try! JSONEncoder().encode(message), as: UTF8.self)
        let body = #"{"error":{"code":\#(status),"message":\#(escaped),"status":"\#(rpc)","details":[\#(details)]}}"#
        var e = GeminiError.from(httpStatus: status, body: Data(body.utf8))
        e.model = model
        return e
    }

    @Test func anInvalidKeyHoldsTheKey() throws {
        let e = try reference("error_400_INVALID_ARGUMENT_API_KEY_INVALID.json", status: 400)
        #expect(e.accountProblem == AccountProblem(kind: .keyRefused, scope: .key))
    }

    @Test func aMissingKeyHoldsTheKey() {
        let e = answer(
            403, "PERMISSION_DENIED",
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."
        )
        #expect(e.accountProblem == AccountProblem(kind: .keyRefused, scope: .key))
        #expect(
            answer(401, "UNAUTHENTICATED", "Request is missing required authentication credential.").accountProblem?.kind == .keyRefused)
    }

    @Test func aForbiddenFileIsUploadedAgainNotHeld() throws {
        let e = try reference("TEMPLATE_error_403_PERMISSION_DENIED_file_missing_or_expired.json", status: 403)
        #expect(e.isFileGone)
        #expect(e.accountProblem == nil)
        #expect(try reference("error_400_FAILED_PRECONDITION_file_not_ACTIVE.json", status: 400).accountProblem == nil)
    }

    @Test func anyOtherForbiddenAnswerIsThePermissionOfTheProject() {
        let e = answer(403, "PERMISSION_DENIED", "Your project has been denied access. Please contact support.")
        #expect(e.accountProblem == AccountProblem(kind: .permissionDenied, scope: .key))
        let region = answer(400, "FAILED_PRECONDITION", "User location is not supported for the API use.")
        #expect(region.accountProblem?.kind == .permissionDenied)
    }

    @Test func anUnknownModelHoldsThatModel() throws {
        let (status, bodies) = try ReferenceExamples.recordedResponses("jsgenai_rec_streamGenerateContent_404_NOT_FOUND_DebugInfo.json")
        var e = GeminiError.from(httpStatus: status, body: bodies[0])
        #expect(e.accountProblem == nil, "a 404 not known to be about a model stays the request's")
        e.model = "custom-gemini-2.0-flash"
        #expect(e.accountProblem == AccountProblem(kind: .modelUnavailable, scope: .model("custom-gemini-2.0-flash")))
    }

    @Test func aShutDownOrClosedModelHoldsThatModel() {
        let closed = answer(
            404, "NOT_FOUND",
            "This model models/gemini-2.5-flash is no longer available to new users. Please update your code to use a newer model for the latest features and improvements. We recommend you to use the Interactions API (https://ai.google.dev/gemini-api/docs/migrate-to-interactions)."
        )
        #expect(closed.accountProblem == AccountProblem(kind: .modelUnavailable, scope: .model("gemini-2.5-flash")))
        let gone = answer(
            404, "NOT_FOUND",
            "This model models/gemini-2.0-flash is no longer available. Please update your code to use a newer model for the latest features and improvements.",
            model: "gemini-2.0-flash")
        #expect(gone.accountProblem == AccountProblem(kind: .modelUnavailable, scope: .model("gemini-2.0-flash")))
    }

    @Test func anOrdinaryRateLimitStaysARateLimit() throws {
        let e = try reference("error_429_RESOURCE_EXHAUSTED_QuotaFailure_Help_RetryInfo.json", status: 429)
        #expect(e.message.contains("billing details"), "the ordinary text names billing too")
        #expect(e.accountProblem == nil)
        #expect(answer(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).").accountProblem == nil)
    }

    @Test func aQuotaWhoseLimitIsZeroIsBillingForThatModel() {
        // The late-2025 text of a free tier without that model; details ordered Help, QuotaFailure, RetryInfo.
        let text = """
            You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.
            * Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro
            Please retry in 38.962214405s.
            """
        let retry = #"{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"38.962214405s"}"#
        let e = answer(429, "RESOURCE_EXHAUSTED", text, details: retry, model: "gemini-2.5-pro")
        #expect(e.accountProblem == AccountProblem(kind: .billing, scope: .model("gemini-2.5-pro")))

        let violation =
            #"{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaValue":"0"}]}"#
        let zero = answer(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", details: violation)
        #expect(zero.quotaLimitZero)
        #expect(zero.accountProblem == AccountProblem(kind: .billing, scope: .model("gemini-2.5-flash")))
        #expect(!GeminiError.namesZeroLimit("limit: 05, model: x") && GeminiError.namesZeroLimit("limit: 0"))
    }

    @Test func depletedCreditsAndDisabledBillingHoldTheKey() {
        let credits = answer(
            429, "RESOURCE_EXHAUSTED", "Your prepayment credits are depleted. Please go to AI Studio to manage your billing.")
        #expect(credits.accountProblem == AccountProblem(kind: .billing, scope: .key))
        #expect(answer(402, "RESOURCE_EXHAUSTED", "Prepaid credit exhausted.").accountProblem?.kind == .billing)
        let country = answer(
            400, "FAILED_PRECONDITION",
            "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.")
        #expect(country.accountProblem == AccountProblem(kind: .billing, scope: .key))
    }

    @Test func aDailyQuotaIsAccountLevelButNotAHold() {
        let violation =
            #"{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaValue":"250"}]}"#
        let e = answer(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", details: violation)
        #expect(e.accountProblem == AccountProblem(kind: .dailyQuota, scope: .key))
    }

    @Test func theRequestsOwnFaultsAreNotTheAccounts() throws {
        #expect(try reference("error_400_INVALID_ARGUMENT_unknown_field_BadRequest.json", status: 400).accountProblem == nil)
        #expect(try reference("error_500_INTERNAL.json", status: 500).accountProblem == nil)
        #expect(try reference("error_503_UNAVAILABLE_overloaded.json", status: 503).accountProblem == nil)
        let thinking = answer(
            400, "INVALID_ARGUMENT", "Thinking level MINIMAL is not supported for this model. Please retry with other thinking level.")
        #expect(thinking.accountProblem == nil)
        #expect(GeminiError(code: .transport, message: "connection refused").accountProblem == nil)
    }
}
