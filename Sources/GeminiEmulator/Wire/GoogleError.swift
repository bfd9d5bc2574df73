/// An error the emulated service answers with, in Google's envelope:
/// `{"error": {"code", "message", "status", "details"}}`.
///
/// The messages are the real ones (see `gemini-examples/`); where no capture exists the
/// wording is marked "emulator wording" in docs/emulator.md.
struct GoogleError: Error, Sendable {
    let code: Int
    let status: String
    let message: String
    var details: [WireJSON] = []

    var body: WireJSON {
        var fields: [(String, WireJSON)] = [
            ("code", .int(Int64(code))),
            ("message", .string(message)),
            ("status", .string(status)),
        ]
        if !details.isEmpty { fields.append(("details", .array(details))) }
        return .object([("error", .object(fields))])
    }

    static func detail(_ type: String, _ fields: [(String, WireJSON)]) -> WireJSON {
        .object([("@type", .string("type.googleapis.com/google.rpc.\(type)"))] + fields)
    }

    static let apiKeyInvalid: GoogleError = {
        let message = "API key not valid. Please pass a valid API key."
        return GoogleError(
            code: 400, status: "INVALID_ARGUMENT", message: message,
            details: [
                detail(
                    "ErrorInfo",
                    [
                        ("reason", .string("API_KEY_INVALID")),
                        ("domain", .string("googleapis.com")),
                        ("metadata", .object([("service", .string("generativelanguage.googleapis.com"))])),
                    ]),
                detail("LocalizedMessage", [("locale", .string("en-US")), ("message", .string(message))]),
            ])
    }()

    static let apiKeyMissing = GoogleError(
        code: 403, status: "PERMISSION_DENIED",
        message: "Method doesn't allow unregistered callers (callers without established identity). "
            + "Please use API Key or other form of API consumer identity to call this API."
    )

    static func modelNotFound(_ model: String, method: String) -> GoogleError {
        let message =
            "models/\(model) is not found for API version v1beta, or is not supported for \(method). "
            + "Call ListModels to see the list of available models and their supported methods."
        let debug =
            "[ORIGINAL ERROR] generic::not_found: \(message) [google.rpc.error_details_ext] "
            + "{ message: \"\(message.replacingOccurrences(of: "\"", with: "\\\""))\" }"
        return GoogleError(
            code: 404, status: "NOT_FOUND", message: message,
            details: [
                detail("DebugInfo", [("detail", .string(debug))])
            ])
    }

    /// A model closed to new projects (the LEGACY stage), with the text observed from August
    /// 2026 on (gemini-api-2026.md §1.2, CD476; the July text ends before " We recommend").
    static func modelClosedToNewUsers(_ model: String) -> GoogleError {
        GoogleError(
            code: 404, status: "NOT_FOUND",
            message: "This model models/\(model) is no longer available to new users. "
                + "Please update your code to use a newer model for the latest features and improvements. "
                + "We recommend you to use the Interactions API (https://ai.google.dev/gemini-api/docs/migrate-to-interactions).")
    }

    /// A model shut down (gemini-api-2026.md §1.2, ADK1840).
    static func modelShutDown(_ model: String) -> GoogleError {
        GoogleError(
            code: 404, status: "NOT_FOUND",
            message: "This model models/\(model) is no longer available. "
                + "Please update your code to use a newer model for the latest features and improvements.")
    }

    /// A batch that does not exist (or was deleted): Google's generic NOT_FOUND wording
    /// (emulator wording; no capture).
    static let batchNotFound = GoogleError(code: 404, status: "NOT_FOUND", message: "Requested entity was not found.")

    static let methodNotFound = GoogleError(code: 404, status: "NOT_FOUND", message: "Method not found.")

    static func fileDenied(_ id: String) -> GoogleError {
        GoogleError(
            code: 403, status: "PERMISSION_DENIED",
            message: "You do not have permission to access the File \(id) or it may not exist."
        )
    }

    static func fileNotActive(_ id: String) -> GoogleError {
        GoogleError(
            code: 400, status: "FAILED_PRECONDITION",
            message: "The File \(id) is not in an ACTIVE state and usage is not allowed."
        )
    }

    static func invalidArgument(_ message: String) -> GoogleError {
        GoogleError(code: 400, status: "INVALID_ARGUMENT", message: message)
    }

    static func badRequest(_ invalid: InvalidRequest) -> GoogleError {
        let message = invalid.violations.map(\.description).joined(separator: "\n")
        let violations: [WireJSON] = invalid.violations.map { violation in
            .compactObject([
                ("field", violation.field.map(WireJSON.string)),
                ("description", .string(violation.description)),
            ])
        }
        return GoogleError(
            code: 400, status: "INVALID_ARGUMENT", message: message,
            details: [
                detail("BadRequest", [("fieldViolations", .array(violations))])
            ])
    }

    static let internalError = GoogleError(
        code: 500, status: "INTERNAL",
        message: "An internal error has occurred. Please retry or report in "
            + "https://developers.generativeai.google/guide/troubleshooting"
    )

    static let overloaded = GoogleError(
        code: 503, status: "UNAVAILABLE", message: "The model is overloaded. Please try again later."
    )

    static let deadlineExceeded = GoogleError(
        code: 504, status: "DEADLINE_EXCEEDED", message: "Deadline expired before operation could complete."
    )

    /// A fault-script status with the service's usual message for it.
    static func forStatus(_ code: Int, message: String?, model: String, retryAfterSeconds: Double) -> GoogleError {
        var error: GoogleError
        switch code {
        case 429:
            error =
                QuotaError(
                    quota: .requestsPerMinute, limit: QuotaError.scriptedLimit, model: model, retryAfterSeconds: retryAfterSeconds
                ).googleError
        case 500: error = .internalError
        case 503: error = .overloaded
        case 504: error = .deadlineExceeded
        case 400: error = .invalidArgument("Request contains an invalid argument.")
        case 403: error = GoogleError(code: 403, status: "PERMISSION_DENIED", message: "The caller does not have permission")
        case 404: error = .methodNotFound
        default: error = GoogleError(code: code, status: "UNKNOWN", message: "Unknown error.")
        }
        if let message {
            error = GoogleError(code: error.code, status: error.status, message: message, details: error.details)
        }
        return error
    }
}
