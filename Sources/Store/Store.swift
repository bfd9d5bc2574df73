import FileAccess
import Foundation
import GRDB

/// The daemon's durable state: images, jobs and their results, the usage ledger, uploads.
///
/// One SQLite file in WAL mode through a GRDB `DatabasePool`: one writer, concurrent readers.
/// Every method is one transaction, so a crash at any point leaves a consistent database.
/// All SQLite work runs on GRDB's own dispatch queues, never on Swift's cooperative pool.
/// Several processes may open the same file (the daemon and `dropsight status`); a writer waits
/// up to 10 s for another process's write to finish.
public final class Store: Sendable {
    /// The database file.
    public let path: String
    /// Failed attempts after which a job fails for good (default 8).
    public let maxAttempts: Int
    let pool: DatabasePool

    /// Opens (creating when missing) the database at `path` and brings its schema up to date.
    ///
    /// A missing parent directory is created with mode 0700; the database file is made 0600.
    public init(path: String, maxAttempts: Int = 8) throws {
        self.path = path
        self.maxAttempts = max(1, maxAttempts)
        try PrivateFiles.makeDirectory(PathText.directory(of: path), databasePath: path)
        try PrivateFiles.makePrivateFile(path)
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.label = "dropsight.store"
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError.wrapping(error, operation: "open", path: path)
        }
    }

    /// Opens the existing database at `path` for reading only (`SQLITE_OPEN_READONLY`): nothing is created,
    /// migrated or written, so a file the caller may not write (mode 0444) works and keeps its bytes.
    ///
    /// Throws ``StoreError/Code/schemaOutdated`` when the file predates this code's schema (the daemon
    /// migrates it at its next start) and ``StoreError/Code/schemaNewer`` when a newer dropsight wrote it.
    public init(readingOnly path: String) throws {
        self.path = path
        self.maxAttempts = 1
        var config = Configuration()
        config.readonly = true
        config.label = "dropsight.store.readonly"
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try pool.read { db in try Schema.requireCurrent(db, path: path) }
        } catch {
            throw StoreError.wrapping(error, operation: "open read-only", path: path)
        }
    }

    /// ``init(readingOnly:)`` on a dispatch queue, so opening never blocks Swift's cooperative pool.
    public static func openReadOnly(path: String) async throws -> Store {
        let result: Result<Store, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { try Store(readingOnly: path) })
            }
        }
        return try result.get()
    }

    /// ``init(path:maxAttempts:)`` on a dispatch queue, so opening and migrating never block Swift's cooperative pool.
    public static func open(path: String, maxAttempts: Int = 8) async throws -> Store {
        let result: Result<Store, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { try Store(path: path, maxAttempts: maxAttempts) })
            }
        }
        return try result.get()
    }

    /// Runs `body` in a write transaction on the writer queue.
    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.wrapping(error, operation: operation, path: path)
        }
    }

    /// Runs `body` in a read-only snapshot on a reader queue.
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.wrapping(error, operation: operation, path: path)
        }
    }

    /// Runs SQLite's `PRAGMA integrity_check`; returns its messages, `["ok"]` when the file is sound.
    public func integrityCheck() async throws -> [String] {
        try await read("integrity_check") { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }
    }
}

extension Date {
    /// Seconds since 1970, the form every time column uses.
    var storeSeconds: Double { timeIntervalSince1970 }
    init(storeSeconds: Double) { self.init(timeIntervalSince1970: storeSeconds) }
}
