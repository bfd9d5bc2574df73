import Foundation
import GeminiAPI
import Store

/// The tables `dropsight files list` prints: our uploads from the Store, or the server's files.
public enum FilesTable {
    /// Our uploads as the Store records them, least recently used first, with the time each has left.
    public static func ours(_ uploads: [UploadRecord], now: Date) -> String {
        let rows = uploads.map { u in
            [
                u.name, size(u.sizeBytes), state(u, now: now), timeLeft(u.expirationTime, now: now), DailyQuota.format(u.lastUsed),
                String(u.sha256.prefix(12)), u.mimeType,
            ]
        }
        return render(
            header: ["NAME", "SIZE", "STATE", "TIME LEFT", "LAST USED", "SHA256", "MIME TYPE"], rows: rows,
            empty: "no uploads recorded")
    }

    /// Our uploads as recorded in the state database (opening it needs no API key).
    public static func ours(state: StateSettings, now: Date = Date()) async throws -> String {
        let store = try await Store.open(path: state.databasePath)
        return ours(try await store.uploads(), now: now)
    }

    /// The server's files, newest first; `OURS` says whether our Store knows the file.
    public static func remote(_ files: [GeminiFile], ours: Set<String>, now: Date) -> String {
        let rows = files.map { f in
            [
                f.name, f.sizeBytes.map(size) ?? "?", (f.state ?? "?").lowercased(),
                f.expirationTime.map { timeLeft($0, now: now) } ?? "?", ours.contains(f.name) ? "yes" : "no",
                f.displayName ?? "", f.mimeType ?? "",
            ]
        }
        return render(
            header: ["NAME", "SIZE", "STATE", "TIME LEFT", "OURS", "DISPLAY NAME", "MIME TYPE"], rows: rows,
            empty: "no files on the server")
    }

    static func state(_ u: UploadRecord, now: Date) -> String {
        if u.state == .active && u.expirationTime <= now { return "expired" }
        return u.state.rawValue.lowercased()
    }

    /// `47h 59m`, `12m`, or `expired`.
    public static func timeLeft(_ expiration: Date, now: Date) -> String {
        let seconds = Int(expiration.timeIntervalSince(now))
        guard seconds > 0 else { return "expired" }
        let hours = seconds / 3600
        let minutes = seconds % 3600 / 60
        return hours > 0 ? "\(hours)h \(minutes)m" : minutes > 0 ? "\(minutes)m" : "\(seconds)s"
    }

    /// Decimal units, as the quota is stated (20 GB).
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func render(header: [String], rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return empty }
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { i in i == row.count - 1 ? row[i] : row[i].padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
