import CCurl

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One request on its own curl easy handle, with the buffers its callbacks fill.
///
/// Created, driven and released on the loop thread only.
final class CurlTransfer {
    let id: UInt64
    let url: String
    let continuation: CheckedContinuation<HTTPResponse, any Error>
    let easy: UnsafeMutableRawPointer
    var upload: UploadSource
    var uploadFailure: UploadFailure?
    var headerCollector = ResponseHeaderCollector()
    var responseBody = Data()
    /// Where a 2xx body goes instead of `responseBody` (``HTTPRequest/responseFile``).
    let responseSink: ResponseFileSink?
    /// The body limit in bytes, received and decoded (``CurlTransport/Configuration/maxResponseBytes``).
    let maxResponseBytes: Int64
    /// Set by a callback that stopped the transfer at the limit.
    var exceededResponseLimit = false
    var requestHeaderList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// Opens the body, makes an easy handle and sets every option the request and configuration ask for.
    static func make(_ submission: CurlInbox.Submission, configuration: CurlTransport.Configuration) throws(TransportError) -> CurlTransfer
    {
        let request = submission.request
        let upload = try UploadSource(request.body, url: request.url)
        guard let easy = curl_easy_init() else {
            throw TransportError(code: .other, message: "curl_easy_init failed (out of memory?)", url: request.url)
        }
        let transfer = CurlTransfer(submission, easy: easy, upload: upload, maxResponseBytes: configuration.maxResponseBytes)
        try transfer.configure(for: request, configuration: configuration)
        return transfer
    }

    private init(
        _ submission: CurlInbox.Submission, easy: UnsafeMutableRawPointer, upload: consuming UploadSource, maxResponseBytes: Int64
    ) {
        self.id = submission.id
        self.maxResponseBytes = maxResponseBytes
        self.url = submission.request.url
        self.continuation = submission.continuation
        self.easy = easy
        self.upload = upload
        self.responseSink = submission.request.responseFile.map(ResponseFileSink.init)
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(requestHeaderList)
        errorBuffer.deallocate()
    }

    /// The status received so far (0 before the status line).
    var status: Int {
        var status = 0
        _ = ds_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    /// The response, once curl reported the transfer done with `CURLE_OK`; a failure when a body
    /// streamed to disk could not be finished there.
    func result() -> Result<HTTPResponse, TransportError> {
        let status = status
        if let responseSink, (200..<300).contains(status), !responseSink.finish() {
            return .failure(TransportError(code: .other, message: responseSink.failure ?? "", url: url))
        }
        var version = 0
        _ = ds_curl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        return .success(
            HTTPResponse(
                status: status, headers: headerCollector.headers, body: responseBody,
                httpVersion: httpVersionName(version)))
    }

    /// The error for a transfer curl reported done with `code`.
    func failure(_ code: CURLcode) -> TransportError {
        if exceededResponseLimit || code == CURLE_FILESIZE_EXCEEDED {
            return TransportError(
                code: .responseTooLarge, curlCode: Int(code.rawValue),
                message:
                    "the response body is larger than the limit of \(maxResponseBytes) bytes (compressed or decoded); the transfer was stopped",
                url: url)
        }
        if let failure = responseSink?.failure {
            return TransportError(code: .other, curlCode: Int(code.rawValue), message: failure, url: url)
        }
        if let uploadFailure {
            return TransportError(code: .invalidRequest, curlCode: Int(code.rawValue), message: uploadFailure.message, url: url)
        }
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return TransportError(code: TransportError.Code(code), curlCode: Int(code.rawValue), message: message, url: url)
    }

    private func httpVersionName(_ version: Int) -> String {
        switch version {
        case Int(CURL_HTTP_VERSION_1_0): "1.0"
        case Int(CURL_HTTP_VERSION_2_0): "2"
        case Int(CURL_HTTP_VERSION_3): "3"
        default: "1.1"
        }
    }
}
