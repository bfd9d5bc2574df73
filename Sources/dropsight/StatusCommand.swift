import ArgumentParser
import Dropsight
import Foundation
import Store

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Shows the queue: jobs by state, the oldest pending one, recent failures, tokens used, uploads alive, any pause.",
        discussion: """
        Reads the state database in [state] dir; works while the daemon runs. With --json prints one object: \
        counts {pending, running, done, failed}, oldest_pending, paused_until, pause_reason, tokens_today (since \
        00:00 UTC), tokens_total, uploads_alive, upload_bytes_alive, recent_failures [{image, prompt, code, message, \
        http_status, attempts, at}]. Times are RFC 3339 UTC.
        """)

    @OptionGroup var config: ConfigOption
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let store = try await StateDatabase.open(try config.load())
        let status = try await store.status(now: Date())
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(StatusJSON(status)), as: UTF8.self))
        } else {
            print(Self.text(status, now: Date()), terminator: "")
        }
    }

    static func text(_ s: StoreStatus, now: Date) -> String {
        var out = "queue: \(n(s.counts[.pending])) pending, \(n(s.counts[.running])) running, "
            + "\(n(s.counts[.done])) done, \(n(s.counts[.failed])) failed\n"
        if let oldest = s.oldestPending {
            out += "oldest pending: queued \(StatusJSON.time(oldest)) (\(ago(oldest, now)) ago)\n"
        }
        if let until = s.pausedUntil, until > now {
            out += "PAUSED until \(StatusJSON.time(until)): \(s.pauseReason ?? "no reason recorded")\n"
        }
        out += "tokens: \(n(s.tokensToday)) today (UTC), \(n(s.tokensTotal)) in total\n"
        out += "uploads alive: \(n(s.uploadsAlive)) (\(ByteCountFormatter.string(fromByteCount: s.uploadBytesAlive, countStyle: .file)))\n"
        if !s.recentFailures.isEmpty {
            out += "recent failures (newest first; `dropsight retry --failed` queues them again):\n"
            for f in s.recentFailures {
                out += "  \(StatusJSON.time(f.at))  \(f.imagePath)  [\(f.prompt)]  \(f.failure.code): \(f.failure.message)"
                out += " (\(f.attempts) attempt\(f.attempts == 1 ? "" : "s"))\n"
            }
        }
        return out
    }

    private static func n(_ value: Int?) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.locale = Locale(identifier: "en_US")
        return f.string(from: NSNumber(value: value ?? 0)) ?? String(value ?? 0)
    }

    private static func ago(_ date: Date, _ now: Date) -> String {
        let s = max(0, Int(now.timeIntervalSince(date)))
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3600) h" }
        return "\(s / 86400) days"
    }
}

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
        enum CodingKeys: String, CodingKey { case image, prompt, code, message, httpStatus = "http_status", attempts, at }
    }

    var counts: Counts
    var oldestPending: String?
    var pausedUntil: String?
    var pauseReason: String?
    var tokensToday: Int
    var tokensTotal: Int
    var uploadsAlive: Int
    var uploadBytesAlive: Int64
    var recentFailures: [Failure]

    enum CodingKeys: String, CodingKey {
        case counts, oldestPending = "oldest_pending", pausedUntil = "paused_until", pauseReason = "pause_reason",
             tokensToday = "tokens_today", tokensTotal = "tokens_total", uploadsAlive = "uploads_alive",
             uploadBytesAlive = "upload_bytes_alive", recentFailures = "recent_failures"
    }

    init(_ s: StoreStatus) {
        counts = Counts(pending: s.counts[.pending] ?? 0, running: s.counts[.running] ?? 0,
                        done: s.counts[.done] ?? 0, failed: s.counts[.failed] ?? 0)
        oldestPending = s.oldestPending.map(Self.time)
        let paused = s.pausedUntil.map { $0 > Date() } ?? false
        pausedUntil = paused ? s.pausedUntil.map(Self.time) : nil
        pauseReason = paused ? s.pauseReason : nil
        tokensToday = s.tokensToday
        tokensTotal = s.tokensTotal
        uploadsAlive = s.uploadsAlive
        uploadBytesAlive = s.uploadBytesAlive
        recentFailures = s.recentFailures.map {
            Failure(image: $0.imagePath, prompt: $0.prompt, code: $0.failure.code, message: $0.failure.message,
                    httpStatus: $0.failure.httpStatus, attempts: $0.attempts, at: Self.time($0.at))
        }
    }

    /// Encodes with explicit nulls, so a consumer always finds every key.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(counts, forKey: .counts)
        try c.encode(oldestPending, forKey: .oldestPending)
        try c.encode(pausedUntil, forKey: .pausedUntil)
        try c.encode(pauseReason, forKey: .pauseReason)
        try c.encode(tokensToday, forKey: .tokensToday)
        try c.encode(tokensTotal, forKey: .tokensTotal)
        try c.encode(uploadsAlive, forKey: .uploadsAlive)
        try c.encode(uploadBytesAlive, forKey: .uploadBytesAlive)
        try c.encode(recentFailures, forKey: .recentFailures)
    }

    static func time(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

/// Opens the daemon's state database for the queue commands (safe while the daemon runs: SQLite WAL).
enum StateDatabase {
    static func open(_ configuration: Configuration) async throws -> Store {
        let path = configuration.state.dir + "/dropsight.sqlite3"
        do {
            return try await Store.open(path: path, maxAttempts: configuration.api.maxAttempts)
        } catch {
            throw CommandFailure(status: 1, message: "dropsight: cannot open the state database: \(error)")
        }
    }

    /// Absolute, standardised paths, made the way the daemon makes the configured folders' paths.
    static func absolute(_ paths: [String]) -> [String] { paths.map(ConfigLoader.absolute) }

    /// What the user reads after queueing jobs from the command line.
    static let pickupNote = "a running daemon starts them within a few seconds"
}
