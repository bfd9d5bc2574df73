import ArgumentParser
import Dropsight
import Foundation
import Store

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Shows the queue: jobs by state, the oldest pending one, recent failures, tokens used, uploads alive, any pause or hold, batches in flight.",
        discussion: """
            Reads the state database in [state] dir read-only (never migrating or writing it); works while the daemon runs. With --json prints one object: \
            counts {pending, running, done, failed}, oldest_pending, paused_until, pause_reason, holds [{model (null \
            when the key is held), reason, since, next_check}], tokens_today (since 00:00 UTC), tokens_total, \
            uploads_alive, upload_bytes_alive, recent_failures [{image, prompt, code, message, http_status, attempts, \
            at}], batches (in flight) [{name, display_name, requests, phase, state, outcome, created_at, age_seconds}]. \
            Times are RFC 3339 UTC.
            """)

    @OptionGroup var config: ConfigOption
    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let store = try await StateDatabase.openReadOnly(try config.load())
        let now = Date()
        let status = try await store.status(now: now)
        let batches = try await store.openBatches()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(StatusJSON(status, batches: batches, now: now)), as: UTF8.self))
        } else {
            print(Self.text(status, batches: batches, now: now), terminator: "")
        }
    }

    static func text(_ s: StoreStatus, batches: [BatchRecord] = [], now: Date) -> String {
        var out =
            "queue: \(n(s.counts[.pending])) pending, \(n(s.counts[.running])) running, "
            + "\(n(s.counts[.done])) done, \(n(s.counts[.failed])) failed\n"
        if let oldest = s.oldestPending {
            out += "oldest pending: queued \(StatusJSON.time(oldest)) (\(ago(oldest, now)) ago)\n"
        }
        if let until = s.pausedUntil, until > now {
            out += "PAUSED until \(StatusJSON.time(until)): \(s.pauseReason ?? "no reason recorded")\n"
        }
        for hold in s.holds {
            out += "HELD since \(StatusJSON.time(hold.since)) (next check \(StatusJSON.time(hold.nextCheck))): \(hold.reason)\n"
        }
        out += "tokens: \(n(s.tokensToday)) today (UTC), \(n(s.tokensTotal)) in total\n"
        out += "uploads alive: \(n(s.uploadsAlive)) (\(ByteCountFormatter.string(fromByteCount: s.uploadBytesAlive, countStyle: .file)))\n"
        if !batches.isEmpty {
            out += "batches in flight:\n"
            for b in batches { out += "  " + BatchJSON.line(b, now: now) + "\n" }
        }
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

    static func ago(_ date: Date, _ now: Date) -> String {
        let s = max(0, Int(now.timeIntervalSince(date)))
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3600) h" }
        return "\(s / 86400) days"
    }
}
