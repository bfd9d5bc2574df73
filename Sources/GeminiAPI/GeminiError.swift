import Foundation
import JSONModel

/// Every failure talking to the Gemini API, with the verdict on whether retrying can help.
///
/// Built from the JSON error envelope `{"error": {code, message, status, details}}`, from the plain-text
/// bodies the upload backend sends, from non-JSON proxy pages, and from transport failures.
public struct GeminiError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable, Codable {
        /// The request never got an HTTP answer (connection refused, reset, timeout).
        case transport
        /// The service answered with a non-2xx status.
        case http
        /// A 2xx answer whose body could not be read as the expected JSON.
        case malformedResponse
        /// A resumable upload ended in a state the protocol does not allow, or its result did not match.
        case upload
    }

    public var code: Code
    /// The HTTP status, when there was one.
    public var httpStatus: Int?
    /// The `google.rpc.Code` name, e.g. `RESOURCE_EXHAUSTED`.
    public var status: String?
    public var message: String
    /// `ErrorInfo.reason`, e.g. `API_KEY_INVALID`.
    public var reason: String?
    /// How long the service asked us to wait (`RetryInfo.retryDelay`, else `Retry-After`).
    public var retryDelay: Duration?
    /// `QuotaFailure.violations[].quotaId`, e.g. `GenerateContentInputTokensPerModelPerMinute-FreeTier`.
    public var quotaIds: [String]
    /// True when a `QuotaFailure` violation's `quotaValue` is 0: the project has no such quota at all.
    public var quotaLimitZero: Bool
    /// The model the request was for (set by the calls that name one), so a 404 can be pinned on it.
    public var model: String?
    /// True when a transport failure happened before any byte of the answer (so nothing was processed).
    public var transportRetryable: Bool

    public init(
        code: Code, httpStatus: Int? = nil, status: String? = nil, message: String, reason: String? = nil,
        retryDelay: Duration? = nil, quotaIds: [String] = [], quotaLimitZero: Bool = false, model: String? = nil,
        transportRetryable: Bool = true
    ) {
        self.code = code
        self.httpStatus = httpStatus
        self.status = status
        self.message = message
        self.reason = reason
        self.retryDelay = retryDelay
        self.quotaIds = quotaIds
        self.quotaLimitZero = quotaLimitZero
        self.model = model
        self.transportRetryable = transportRetryable
    }

    /// True when the same request may succeed later: 408, 429, 500, 502, 503, 504, connection errors and timeouts.
    /// A file still `PROCESSING` (400 `FAILED_PRECONDITION`) also clears by waiting.
    public var isRetryable: Bool {
        switch code {
        case .transport: return transportRetryable
        case .malformedResponse: return true
        case .upload: return false
        case .http:
            guard let s = httpStatus else { return false }
            if [408, 429, 500, 502, 503, 504].contains(s) { return true }
            return isFileNotActive
        }
    }

    /// A 429 for a per-day quota: waiting minutes will not help, pause until the quota resets.
    public var isDailyQuota: Bool {
        httpStatus == 429 && quotaIds.contains { $0.localizedCaseInsensitiveContains("PerDay") }
    }

    /// 403 `PERMISSION_DENIED` about a File: it is missing, expired, deleted or not ours. Upload it again.
    public var isFileGone: Bool {
        httpStatus == 403 && message.contains("the File")
    }

    /// 400 `FAILED_PRECONDITION`: the File is still `PROCESSING`.
    public var isFileNotActive: Bool {
        httpStatus == 400 && status == "FAILED_PRECONDITION" && message.contains("not in an ACTIVE state")
    }

    /// A short stable tag for sidecars and logs: the HTTP status and rpc status, or the code.
    public var shortCode: String {
        if let s = httpStatus { return status.map { "\(s) \($0)" } ?? "\(s)" }
        return code.rawValue
    }

    public var description: String {
        var text = "Gemini API error (\(shortCode)): \(message)"
        if let reason { text += " [\(reason)]" }
        if let retryDelay { text += " (retry in \(retryDelay))" }
        return text
    }

    /// Reads an error answer: the JSON envelope when there is one (also wrapped in a one-element array,
    /// as streaming answers do), else the body's text (upload backend, proxies).
    public static func from(httpStatus: Int, body: Data, retryAfterHeader: String? = nil, now: Date = Date()) -> GeminiError {
        var error = GeminiError(code: .http, httpStatus: httpStatus, message: "HTTP \(httpStatus)")
        if let envelope = ErrorEnvelope.decode(body) {
            error.status = envelope.status
            error.message = envelope.message ?? error.message
            error.reason = envelope.reason
            error.retryDelay = envelope.retryDelay.flatMap(Self.parseProtoDuration)
            error.quotaIds = envelope.quotaIds
            error.quotaLimitZero = envelope.quotaLimitZero
        } else if let text = String(data: body.prefix(2000), encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        {
            error.message = text.hasPrefix("<") ? "HTTP \(httpStatus) with a non-JSON (HTML) body" : text
        }
        if error.retryDelay == nil, let header = retryAfterHeader {
            error.retryDelay = parseRetryAfter(header, now: now)
        }
        return error
    }

    /// Parses a proto3 JSON `Duration` such as `"26s"` or `"38.962214405s"`.
    public static func parseProtoDuration(_ text: String) -> Duration? {
        guard text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds.isFinite, seconds >= 0 else { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// Parses `Retry-After`: delta-seconds or an HTTP date.
    public static func parseRetryAfter(_ text: String, now: Date) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}

/// The parts of `{"error": {...}}` that drive decisions.
struct ErrorEnvelope {
    var message: String?
    var status: String?
    var reason: String?
    var retryDelay: String?
    var quotaIds: [String] = []
    var quotaLimitZero = false

    static func decode(_ body: Data) -> ErrorEnvelope? {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: body) else { return nil }
        let root: JSONValue
        if case .array(let items) = json, let first = items.first { root = first } else { root = json }
        guard let error = root["error"], case .object = error else { return nil }
        var envelope = ErrorEnvelope()
        if case .string(let m)? = error["message"] { envelope.message = m }
        if case .string(let s)? = error["status"] { envelope.status = s }
        if case .array(let details)? = error["details"] {
            for detail in details {
                guard case .string(let type)? = detail["@type"] else { continue }
                if type.hasSuffix("google.rpc.ErrorInfo"), case .string(let r)? = detail["reason"] { envelope.reason = r }
                if type.hasSuffix("google.rpc.RetryInfo"), case .string(let d)? = detail["retryDelay"] { envelope.retryDelay = d }
                if type.hasSuffix("google.rpc.QuotaFailure"), case .array(let violations)? = detail["violations"] {
                    for v in violations {
                        if case .string(let id)? = v["quotaId"] { envelope.quotaIds.append(id) }
                        envelope.quotaLimitZero = envelope.quotaLimitZero || isZero(v["quotaValue"])
                    }
                }
            }
        }
        return envelope
    }

    /// `quotaValue` is an int64, written as a string or a number.
    private static func isZero(_ value: JSONValue?) -> Bool {
        switch value {
        case .string(let text)?: Int64(text) == 0
        case .number(let number)?: number == 0
        default: false
        }
    }
}
