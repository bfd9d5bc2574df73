import Foundation
import GRDB

extension Store {
    /// Keeps the latest per-image count for the record's model and media resolution.
    public func recordImageTokens(_ record: ImageTokenRecord) async throws {
        try await write("recordImageTokens") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO image_tokens (model, media_resolution, tokens, observed_at) VALUES (?, ?, ?, ?)
                    """, arguments: [record.model, record.mediaResolution, record.tokens, record.observedAt.storeSeconds])
        }
    }

    /// Every kept count, by model and media resolution.
    public func imageTokenRecords() async throws -> [ImageTokenRecord] {
        try await read("imageTokenRecords") { db in
            try Row.fetchAll(
                db, sql: "SELECT model, media_resolution, tokens, observed_at FROM image_tokens ORDER BY model, media_resolution"
            )
            .map { row in
                ImageTokenRecord(model: row[0], mediaResolution: row[1], tokens: row[2], observedAt: Date(storeSeconds: row[3]))
            }
        }
    }
}
