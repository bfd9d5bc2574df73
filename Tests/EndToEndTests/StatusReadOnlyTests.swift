import DropsightTestSupport
import Foundation
import Testing

@testable import Dropsight

/// `dropsight status` only reads the state database: a file of mode 0444 works and keeps its bytes.
@Suite(.serialized, .cleansUp) struct StatusReadOnlyTests {
    @Test func statusOnAReadOnlyDatabaseWorksAndChangesNothing() async throws {
        let h = try await Harness()
        let binary = try DropsightBinary()
        let missing = try await binary.run(["status"], harness: h)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no state database"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: h.stateDir + "/dropsight.sqlite3"), "status created the database")

        let image = try h.dropImage(named: "photo.jpg")
        _ = try await DaemonRun.with(h) {
            let sidecar = try #require(await h.waitForSidecar(image))
            await h.waitUntilRecorded()
            return sidecar
        }
        let database = h.stateDir + "/dropsight.sqlite3"
        // The daemon's last connection checkpoints the WAL into the file and removes it as it closes.
        let closed = Date().addingTimeInterval(30)
        while FileManager.default.fileExists(atPath: database + "-wal"), Date() < closed { try await Task.sleep(for: .milliseconds(50)) }
        try #require(!FileManager.default.fileExists(atPath: database + "-wal"), "the daemon did not close the database")
        #expect(chmod(database, 0o444) == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))

        let status = try await binary.run(["status", "--json"], harness: h)
        #expect(status.status == 0, "\(status.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect((json["counts"] as? [String: Any])?["done"] as? Int == 1, "\(status.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        let mode = (try FileManager.default.attributesOfItem(atPath: database)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o444)
        await h.stop()
    }
}
