import Foundation

/// The 429 RESOURCE_EXHAUSTED body for one exhausted quota, with QuotaFailure, Help and
/// a RetryInfo carrying the true wait.
struct QuotaError: Sendable {
    enum Quota: String, Sendable {
        case requestsPerMinute
        case inputTokensPerMinute
        case requestsPerDay

        var metric: String {
            switch self {
            case .requestsPerMinute, .requestsPerDay:
                return "generativelanguage.googleapis.com/generate_content_free_tier_requests"
            case .inputTokensPerMinute:
                return "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count"
            }
        }

        var quotaID: String {
            switch self {
            case .requestsPerMinute: return "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
            case .inputTokensPerMinute: return "GenerateContentInputTokensPerModelPerMinute-FreeTier"
            case .requestsPerDay: return "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
            }
        }
    }

    let quota: Quota
    let limit: Int
    let model: String
    let retryAfterSeconds: Double

    /// The limit a scripted 429 names. A scripted fault has no quota behind it, and a limit of 0 would say the
    /// project has no such quota at all (no free tier for the model): a billing problem, not a rate limit.
    static let scriptedLimit = 10

    static let baseMessage =
        "You exceeded your current quota, please check your plan and billing details. "
        + "For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits."

    var googleError: GoogleError {
        var message = Self.baseMessage
        if quota == .requestsPerDay {
            // The late-2025 wording, which names the exhausted metric and the wait.
            message +=
                "\n* Quota exceeded for metric: \(quota.metric), limit: \(limit), model: \(model)"
                + "\nPlease retry in \(String(format: "%.9f", retryAfterSeconds))s."
        }
        var dimensions: [(String, WireJSON)] = [("location", .string("global"))]
        if !model.isEmpty { dimensions.append(("model", .string(model))) }
        return GoogleError(
            code: 429, status: "RESOURCE_EXHAUSTED", message: message,
            details: [
                GoogleError.detail(
                    "QuotaFailure",
                    [
                        (
                            "violations",
                            .array([
                                .object([
                                    ("quotaMetric", .string(quota.metric)),
                                    ("quotaId", .string(quota.quotaID)),
                                    ("quotaDimensions", .object(dimensions)),
                                    ("quotaValue", .string(String(limit))),
                                ])
                            ])
                        )
                    ]),
                GoogleError.detail(
                    "Help",
                    [
                        (
                            "links",
                            .array([
                                .object([
                                    ("description", .string("Learn more about Gemini API quotas")),
                                    ("url", .string("https://ai.google.dev/gemini-api/docs/rate-limits")),
                                ])
                            ])
                        )
                    ]),
                GoogleError.detail("RetryInfo", [("retryDelay", .string(Timestamp.duration(seconds: retryAfterSeconds)))]),
            ])
    }
}
