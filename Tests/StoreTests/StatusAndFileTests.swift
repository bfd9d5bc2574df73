import DropsightTestSupport
import Foundation
import Testing

@testable import Store

@Suite struct StatusAndFileTests {
    @Test func statusCountsStatesAndTokensPerUTCDay() async throws {
        try await withStore { store, _ in
            let now = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15 15:06:40 UTC
            try await store.enqueue(
                [image("/p/a.jpg"), image("/p/b.jpg"), image("/p/c.jpg")], prompts: [describe],
                now: now.addingTimeInterval(-600))
            try await store.enqueue(image("/p/d.jpg"), prompts: [describe], now: now)
            let claimed = try await store.claimNext(now: now, limit: 2)
            try await store.complete(claimed[0], result: Data(json: "{}"), usage: nil, now: now)
            let usage = Usage(model: "m", promptTokens: 1, outputTokens: 1, thoughtsTokens: 0, totalTokens: 100)
            try await store.recordUsage(usage, at: now.addingTimeInterval(-86_400))
            try await store.recordUsage(usage, at: Date(timeIntervalSince1970: 1_749_945_600))  // 00:00:00 UTC today
            try await store.recordUsage(usage, at: now)

            let status = try await store.status(now: now)
            #expect(status.counts == [.pending: 2, .running: 1, .done: 1, .failed: 0])
            #expect(status.oldestPending == now.addingTimeInterval(-600))
            #expect(status.tokensToday == 200)
            #expect(status.tokensTotal == 300)
            #expect(status.pausedUntil == nil)

            try await store.setPause(until: now.addingTimeInterval(3600), reason: "daily quota exhausted")
            let paused = try await store.status(now: now)
            #expect(paused.pausedUntil == now.addingTimeInterval(3600))
            #expect(paused.pauseReason == "daily quota exhausted")
        }
    }

    @Test func theDatabaseIsPrivateAndSound() async throws {
        try await withStore { store, dir in
            try await store.enqueue(image("/p/a.jpg"), prompts: [describe], now: t0)
            #expect(try await store.integrityCheck() == ["ok"])
            let fm = FileManager.default
            func mode(_ path: String) throws -> Int {
                (try fm.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
            }
            #expect(try mode(dir.path + "/state") == 0o700)
            for suffix in ["", "-wal", "-shm"] {
                let file = store.path + suffix
                #expect(fm.fileExists(atPath: file), "\(file) exists")
                #expect(try mode(file) == 0o600, "\(file) is private")
            }
        }
    }

    @Test func anExistingWideFileIsMadePrivate() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-store")
        defer { dir.cleanup() }
        let path = dir.path + "/db.sqlite"
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
        _ = try Store(path: path)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
    }

    @Test func fingerprintsOfAHundredThousandImagesInOneQuery() async throws {
        try await withStore { store, _ in
            let count = 100_000
            for chunk in stride(from: 0, to: count, by: 10_000) {
                let images = (chunk..<chunk + 10_000).map {
                    image("/big/\($0 / 1000)/img\($0).jpg", folder: "/big", sha: "sha\($0)", mtime: Int64($0))
                }
                try await store.enqueue(images, prompts: [describe], now: t0)
            }
            // Finishing 100,000 jobs one by one is not what is measured here: mark them done at once.
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE jobs SET state = 'done', result = x'7b7d', finished_at = 0")
            }
            let clock = ContinuousClock()
            var prints: [String: Fingerprint] = [:]
            let elapsed = try await clock.measure { prints = try await store.fingerprints(folder: "/big") }
            print("fingerprints(folder:) for \(prints.count) images: \(elapsed)")
            #expect(prints.count == count)
            let current = prints.values.filter { $0.isCurrent(size: $0.size, mtimeNs: $0.mtimeNs, prompts: [describe]) }
            #expect(current.count == count)
            #expect(
                prints["/big/5/img5005.jpg"]?.isCurrent(size: 100, mtimeNs: 5005, prompts: [describe, detect]) == false,
                "a prompt never run is not current")
        }
    }
}
