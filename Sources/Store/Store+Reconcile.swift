import Foundation
import GRDB

extension Store {
    /// True when the recorded size and mtime match and every prompt has a done or failed result for its hash.
    ///
    /// Start-up reconciliation uses it to skip rehashing unchanged files; for a whole folder
    /// ``fingerprints(folder:)`` answers in one query.
    public func isCurrent(path: String, size: Int64, mtimeNs: Int64, prompts: [PromptSpec]) async throws -> Bool {
        let fingerprint = try await read("isCurrent") { db in
            try Self.fingerprints(sql: "i.path = ?", argument: path, in: db)[path]
        }
        return fingerprint?.isCurrent(size: size, mtimeNs: mtimeNs, prompts: prompts) ?? false
    }

    /// Everything recorded about the images of one folder, by path, in one query.
    public func fingerprints(folder: String) async throws -> [String: Fingerprint] {
        try await read("fingerprints") { db in
            try Self.fingerprints(sql: "i.folder = ?", argument: folder, in: db)
        }
    }

    private static func fingerprints(sql condition: String, argument: String, in db: Database) throws -> [String: Fingerprint] {
        var result: [String: Fingerprint] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT i.path, i.size, i.mtime_ns, i.sha256, j.prompt, j.prompt_hash FROM images i
                LEFT JOIN jobs j ON j.image_path = i.path AND j.sha256 = i.sha256 AND j.state IN ('done', 'failed')
                WHERE \(condition)
                """, arguments: [argument])
        while let row = try rows.next() {
            let path: String = row[0]
            if result[path] == nil {
                result[path] = Fingerprint(size: row[1], mtimeNs: row[2], sha256: row[3], promptHashes: [:])
            }
            if let prompt: String = row[4] {
                result[path]?.promptHashes[prompt] = row[5]
            }
        }
        return result
    }

    /// What intake recorded of the image at `path`, nil when it is not known.
    public func image(path: String) async throws -> ImageRecord? {
        try await read("image") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT folder, size, mtime_ns, sha256, device, inode FROM images WHERE path = ?", arguments: [path])
            else { return nil }
            let device: Int64 = row["device"]
            let inode: Int64 = row["inode"]
            return ImageRecord(
                path: path, folder: row["folder"], size: row["size"], mtimeNs: row["mtime_ns"], sha256: row["sha256"],
                device: UInt64(bitPattern: device), inode: UInt64(bitPattern: inode))
        }
    }
}
