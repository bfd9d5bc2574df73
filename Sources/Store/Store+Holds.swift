import Foundation
import GRDB

extension Store {
    /// Records a hold, or updates the one on the same key or model.
    public func recordHold(_ hold: HoldRecord) async throws {
        try await write("recordHold") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO holds (scope, model, reason, since, next_check_at) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    hold.model == nil ? "key" : "model", hold.model ?? "", hold.reason, hold.since.storeSeconds,
                    hold.nextCheck.storeSeconds,
                ])
        }
    }

    /// Removes the hold on `model`, or on the key when `model` is nil.
    public func clearHold(model: String?) async throws {
        try await write("clearHold") { db in
            try db.execute(
                sql: "DELETE FROM holds WHERE scope = ? AND model = ?", arguments: [model == nil ? "key" : "model", model ?? ""])
        }
    }

    /// Removes every hold (a reload lifts them all; a new daemon starts without any).
    public func clearHolds() async throws {
        try await write("clearHolds") { db in try db.execute(sql: "DELETE FROM holds") }
    }

    static func fetchHolds(_ db: Database) throws -> [HoldRecord] {
        try Row.fetchAll(db, sql: "SELECT scope, model, reason, since, next_check_at FROM holds ORDER BY scope, model").map { row in
            HoldRecord(
                model: row[0] == "key" ? nil : row[1], reason: row[2], since: Date(storeSeconds: row[3]),
                nextCheck: Date(storeSeconds: row[4]))
        }
    }
}
