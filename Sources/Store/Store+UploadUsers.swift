import Foundation
import GRDB

/// Which watched images use which uploads, so `api.delete_after_use` can delete an image's uploads once it is
/// done, also when they were made before a restart.
extension Store {
    /// Records that `imagePath` uses the upload `name` (a copy of it was uploaded, or an upload reused for it).
    public func linkUpload(name: String, toImage imagePath: String) async throws {
        try await write("linkUpload") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO upload_users (upload_name, image_path) VALUES (?, ?)",
                arguments: [name, imagePath])
        }
    }

    /// Forgets every link of `imagePath` and returns the uploads it used that no other image uses any more and
    /// that are not gone, by name: the ones to delete now.
    public func releaseUploadLinks(image imagePath: String) async throws -> [String] {
        try await write("releaseUploadLinks") { db in
            let names = try String.fetchAll(
                db,
                sql: """
                    SELECT u.upload_name FROM upload_users u JOIN uploads ON uploads.name = u.upload_name
                    WHERE u.image_path = ? AND uploads.state != 'GONE'
                      AND NOT EXISTS (SELECT 1 FROM upload_users o WHERE o.upload_name = u.upload_name AND o.image_path != u.image_path)
                    ORDER BY u.upload_name
                    """, arguments: [imagePath])
            try db.execute(sql: "DELETE FROM upload_users WHERE image_path = ?", arguments: [imagePath])
            return names
        }
    }

    /// The images linked to an upload, sorted.
    public func uploadUsers(name: String) async throws -> [String] {
        try await read("uploadUsers") { db in
            try String.fetchAll(
                db, sql: "SELECT image_path FROM upload_users WHERE upload_name = ? ORDER BY image_path",
                arguments: [name])
        }
    }

    /// The uploads a batch not yet ended still needs: the copies of its members' images and its JSONL input.
    /// They are kept when room is made under the quota, so a batch never loses its files to newer uploads.
    public func uploadsInOpenBatches() async throws -> Set<String> {
        try await read("uploadsInOpenBatches") { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT u.upload_name FROM upload_users u
                            JOIN jobs j ON j.image_path = u.image_path
                            JOIN batch_members m ON m.job_id = j.id AND m.lease = j.lease
                            JOIN batches b ON b.id = m.batch_id
                        WHERE b.phase != 'ended'
                        UNION SELECT input_file FROM batches WHERE phase != 'ended' AND input_file IS NOT NULL
                        """))
        }
    }
}
