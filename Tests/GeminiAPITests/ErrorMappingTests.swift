import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiAPI

@Suite struct ErrorMappingTests {
    func error(_ name: String, status: Int) throws -> GeminiError {
        GeminiError.from(httpStatus: status, body: try ReferenceExamples.data(name))
    }

    @Test func quota429IsRetryableWithItsDelay() throws {
        let e = try error("error_429_RESOURCE_EXHAUSTED_QuotaFailure_Help_RetryInfo.json", status: 429)
        #expect(e.status == "RESOURCE_EXHAUSTED")
        #expect(e.isRetryable)
        #expect(e.retryDelay == .seconds(26))
        #expect(e.quotaIds == ["GenerateContentInputTokensPerModelPerMinute-FreeTier"])
        #expect(!e.isDailyQuota)
    }

    @Test func dailyQuotaIsRecognised() {
        let body =
            #"{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"38.962214405s"}]}}"#
        let e = GeminiError.from(httpStatus: 429, body: Data(body.utf8))
        #expect(e.isDailyQuota)
        #expect(e.retryDelay == .milliseconds(38963))
    }

    @Test func serverErrorsAreRetryable() throws {
        let e500 = try error("error_500_INTERNAL.json", status: 500)
        #expect(e500.status == "INTERNAL" && e500.isRetryable)
        let e503 = try error("error_503_UNAVAILABLE_overloaded.json", status: 503)
        #expect(e503.message == "The model is overloaded. Please try again later." && e503.isRetryable)
    }

    @Test func badKeyIsPermanent() throws {
        let e = try error("error_400_INVALID_ARGUMENT_API_KEY_INVALID.json", status: 400)
        #expect(e.reason == "API_KEY_INVALID")
        #expect(!e.isRetryable)
    }

    @Test func unknownFieldIsPermanent() throws {
        let e = try error("error_400_INVALID_ARGUMENT_unknown_field_BadRequest.json", status: 400)
        #expect(e.status == "INVALID_ARGUMENT")
        #expect(e.message.contains("Unknown name \"includeThoughts\""))
        #expect(!e.isRetryable)
    }

    @Test func fileNotActiveWaits() throws {
        let e = try error("error_400_FAILED_PRECONDITION_file_not_ACTIVE.json", status: 400)
        #expect(e.isFileNotActive && e.isRetryable)
    }

    @Test func missingFileIsGoneAndPermanent() throws {
        let e = try error("TEMPLATE_error_403_PERMISSION_DENIED_file_missing_or_expired.json", status: 403)
        #expect(e.isFileGone)
        #expect(!e.isRetryable)
    }

    @Test func notFoundModelFromARecording() throws {
        let (status, bodies) = try ReferenceExamples.recordedResponses("jsgenai_rec_streamGenerateContent_404_NOT_FOUND_DebugInfo.json")
        let e = GeminiError.from(httpStatus: status, body: bodies[0])
        #expect(e.httpStatus == 404 && e.status == "NOT_FOUND")
        #expect(e.message.contains("is not found for API version v1beta"))
        #expect(!e.isRetryable)
    }

    @Test func plainTextUploadErrorKeepsItsText() throws {
        let e = try error("upload_error_400_plaintext_chunk_granularity.txt", status: 400)
        #expect(e.message.hasPrefix("The client sent 821333 bytes"))
        #expect(!e.isRetryable)
    }

    @Test func htmlProxyPageAndRetryAfter() {
        let e = GeminiError.from(httpStatus: 502, body: Data("<html>bad gateway</html>".utf8), retryAfterHeader: "7")
        #expect(e.isRetryable)
        #expect(e.retryDelay == .seconds(7))
        #expect(e.message.contains("non-JSON"))
    }

    @Test func everyErrorPayloadMaps() throws {
        let names = try ReferenceExamples.names(prefix: "error_")
        #expect(names.count >= 6, "expected at least 6 error_* payloads, found \(names)")
        for name in names {
            let status = Int(name.split(separator: "_")[1])!
            let e = try error(name, status: status)
            #expect(e.status != nil, "\(name)")
            #expect(e.isRetryable == [429, 500, 503].contains(status) || e.isFileNotActive, "\(name)")
        }
    }
}
