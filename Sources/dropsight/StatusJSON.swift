import Dropsight
import Foundation
import Store

/// The `--json` shape of `dropsight status`: snake_case keys, RFC 3339 times.
struct StatusJSON: Encodable {
    struct Counts: Encodable { var pending, running, done, failed: Int }
    struct Failure: Encodable {
        var image: String
        var prompt: String
        var code: String
        var message: String
        var httpStatus: Int?
        var attempts: Int
        var at: String
        enum CodingKeys: String, CodingKey {
            case image, prompt, code, message
            case httpStatus = "http_status"
            case attempts, at
        }
    }

    struct Hold: Encodable {
        var model: String?
        var reason: String
        var since: String
        var nextCheck: String
        enum CodingKeys: String, CodingKey {
            case model, reason, since
            case nextCheck = "next_check"
        }
        /// With an explicit null model for the key's hold.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try c.encode(reason, forKey: .reason)
            try c.encode(since, forKey: .since)
            try c.encode(nextCheck, forKey: .nextCheck)
        }
    }

    var counts: Counts
    var oldestPending: String?
    var pausedUntil: String?
    var pauseReason: String?
    var holds: [Hold]
    var tokensToday: Int
    var tokensTotal: Int
    var uploadsAlive: Int
    var uploadBytesAlive: Int64
    var recentFailures: [Failure]
    var batches: [BatchJSON]

    enum CodingKeys: String, CodingKey {
        case counts
        case oldestPending = "oldest_pending"
        case pausedUntil = "paused_until"
        case pauseReason = "pause_reason"
        case holds
        case
            tokensToday = "tokens_today"
        case tokensTotal = "tokens_total"
        case uploadsAlive = "uploads_alive"
        case
            uploadBytesAlive = "upload_bytes_alive"
        case recentFailures = "recent_failures"
        case batches
    }

    /// - Parameter batches: the batches in flight.
    init(_ s: StoreStatus, batches: [BatchRecord], now: Date) {
        counts = Counts(
            pending: s.counts[.pending] ?? 0, running: s.counts[.running] ?? 0,
            done: s.counts[.done] ?? 0, failed: s.counts[.failed] ?? 0)
        oldestPending = s.oldestPending.map(Self.time)
        let paused = s.pausedUntil.map { $0 > Date() } ?? false
        pausedUntil = paused ? s.pausedUntil.map(Self.time) : nil
        pauseReason = paused ? s.pauseReason : nil
        holds = s.holds.map {
            Hold(model: $0.model, reason: $0.reason, since: Self.time($0.since), nextCheck: Self.time($0.nextCheck))
        }
        tokensToday = s.tokensToday
        tokensTotal = s.tokensTotal
        uploadsAlive = s.uploadsAlive
        uploadBytesAlive = s.uploadBytesAlive
        recentFailures = s.recentFailures.map {
            Failure(
                image: $0.imagePath, prompt: $0.prompt, code: $0.failure.code, message: $0.failure.message,
                httpStatus: $0.failure.httpStatus, attempts: $0.attempts, at: Self.time($0.at))
        }
        self.batches = batches.map { BatchJSON($0, now: now) }
    }

    /// Encodes with explicit nulls, so a consumer always finds every key.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(counts, forKey: .counts)
        try c.encode(oldestPending, forKey: .oldestPending)
        try c.encode(pausedUntil, forKey: .pausedUntil)
        try c.encode(pauseReason, forKey: .pauseReason)
        try c.encode(holds, forKey: .holds)
        try c.encode(tokensToday, forKey: .tokensToday)
        try c.encode(tokensTotal, forKey: .tokensTotal)
        try c.encode(uploadsAlive, forKey: .uploadsAlive)
        try c.encode(uploadBytesAlive, forKey: .uploadBytesAlive)
        try c.encode(recentFailures, forKey: .recentFailures)
        try c.encode(batches, forKey: .batches)
    }

    static func time(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
