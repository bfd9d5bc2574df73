import GRDB

/// A failure of the state database, with what was being done and where.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The directory or the database file could not be created or given private permissions.
        public static let filesystem = Code(name: "filesystem")
        /// SQLite reported an error (see `sqliteCode`).
        public static let sqlite = Code(name: "sqlite")
        /// A read-only open found a database older than this code's schema (the daemon migrates it when it starts).
        public static let schemaOutdated = Code(name: "schemaOutdated")
        /// A read-only open found a database written by a newer dropsight.
        public static let schemaNewer = Code(name: "schemaNewer")
        public var description: String { name }
    }

    public var code: Code
    /// The operation, e.g. `claimNext`.
    public var operation: String
    /// The database file.
    public var path: String
    /// The SQLite extended result code, when SQLite failed.
    public var sqliteCode: Int32?
    /// The errno, when a file-system call failed.
    public var errno: Int32?
    public var detail: String

    public var description: String {
        var text = "state database \(path): \(operation) failed: \(detail)"
        if let sqliteCode { text += " (SQLite code \(sqliteCode))" }
        if let errno { text += " (errno \(errno))" }
        if code == .sqlite {
            text += ". If the file is damaged, stop dropsight, move it away and start again: every folder is rescanned."
        }
        return text
    }

    static func wrapping(_ error: any Error, operation: String, path: String) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        if let db = error as? DatabaseError {
            return StoreError(
                code: .sqlite, operation: operation, path: path,
                sqliteCode: db.extendedResultCode.rawValue,
                detail: db.message ?? "\(db.resultCode)")
        }
        return error
    }
}
