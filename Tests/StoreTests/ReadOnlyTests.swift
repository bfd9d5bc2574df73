import DropsightTestSupport
import Foundation
import GRDB
import Testing

@testable import Store

/// `dropsight status` reads the database without changing it, and says when it predates the code.
struct ReadOnlyTests {
    @Test func statusReadsADatabaseFileOfMode0444AndLeavesItsBytesAsTheyWere() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-store")
        defer { dir.cleanup() }
        let path = dir.path + "/dropsight.sqlite3"
        do {
            let store = try Store(path: path)
            try await store.enqueue(image("/photos/a.jpg"), prompts: [describe, detect], now: t0)
        }
        #expect(chmod(path, 0o444) == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let store = try await Store.openReadOnly(path: path)
        let status = try await store.status(now: t0)
        #expect(status.counts[.pending] == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o444)
        await #expect(throws: StoreError.self) { try await store.enqueue(image("/photos/b.jpg"), prompts: [describe], now: t0) }
    }

    @Test func anOlderDatabaseIsReportedNotMigrated() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-store")
        defer { dir.cleanup() }
        let path = dir.path + "/dropsight.sqlite3"
        do {
            let pool = try DatabasePool(path: path)
            try Schema.migrator.migrate(pool, upTo: "v2")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = await #expect(throws: StoreError.self) { try await Store.openReadOnly(path: path) }
        #expect(error?.code == .schemaOutdated)
        #expect(error?.description.contains("older than this dropsight") == true, "\(String(describing: error))")
        #expect(error?.description.contains("v3") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
