import DropsightTestSupport
import Foundation
import Testing

@testable import Store

@Suite struct UploadTests {
    func upload(_ name: String, sha: String, created: Date, state: UploadState = .active) -> UploadRecord {
        UploadRecord(
            name: name, uri: "https://example.test/v1beta/\(name)", mimeType: "image/jpeg", sha256: sha,
            sizeBytes: 1_000, createTime: created, expirationTime: created.addingTimeInterval(48 * 3600),
            state: state, lastUsed: created)
    }

    @Test func aLiveUploadIsReusedUntilItsMarginRunsOut() async throws {
        try await withStore { store, _ in
            try await store.saveUpload(upload("files/one", sha: "abc", created: t0))
            let margin: TimeInterval = 3600
            let halfHour = t0.addingTimeInterval(1800)
            #expect(try await store.liveUpload(sha256: "abc", minRemaining: margin, now: halfHour)?.name == "files/one")
            #expect(try await store.liveUpload(sha256: "other", minRemaining: margin, now: halfHour) == nil)
            let late = t0.addingTimeInterval(47.5 * 3600)
            #expect(
                try await store.liveUpload(sha256: "abc", minRemaining: margin, now: late) == nil,
                "30 minutes left is under the 1 h margin")

            try await store.saveUpload(upload("files/two", sha: "abc", created: late))
            #expect(try await store.liveUpload(sha256: "abc", minRemaining: margin, now: late)?.name == "files/two")
            try await store.markUploadGone(name: "files/two")
            #expect(try await store.liveUpload(sha256: "abc", minRemaining: margin, now: late) == nil)
            #expect(try await store.status(now: halfHour).uploadsAlive == 1)
        }
    }

    @Test func purgeRemovesExpiredAndGoneUploads() async throws {
        try await withStore { store, _ in
            try await store.saveUpload(upload("files/old", sha: "1", created: t0))
            try await store.saveUpload(upload("files/gone", sha: "2", created: t0.addingTimeInterval(40 * 3600), state: .gone))
            try await store.saveUpload(upload("files/new", sha: "3", created: t0.addingTimeInterval(40 * 3600)))
            try await store.touchUpload(name: "files/new", at: t0.addingTimeInterval(41 * 3600))
            let now = t0.addingTimeInterval(49 * 3600)
            let purged = try await store.purgeExpiredUploads(now: now)
            #expect(purged.map(\.name) == ["files/gone", "files/old"])
            let left = try await store.uploads()
            #expect(left.map(\.name) == ["files/new"])
            #expect(left.first?.lastUsed == t0.addingTimeInterval(41 * 3600))
        }
    }

    @Test func aResumableSessionSurvivesReopening() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-store")
        defer { dir.cleanup() }
        let path = dir.path + "/db.sqlite"
        let session = UploadSession(
            sessionURL: "http://127.0.0.1:9/upload?upload_id=x1", path: "/p/big.jpg",
            sha256: "big", size: 200_000_000, mimeType: "image/jpeg",
            offsetConfirmed: 0, startedAt: t0)
        do {
            let store = try Store(path: path)
            try await store.saveSession(session)
            try await store.updateSessionOffset(sessionURL: session.sessionURL, offset: 16_777_216)
        }
        let store = try Store(path: path)
        let resumed = try #require(try await store.session(sha256: "big"))
        #expect(resumed.offsetConfirmed == 16_777_216)
        #expect(resumed.path == "/p/big.jpg")
        try await store.deleteSession(sessionURL: session.sessionURL)
        #expect(try await store.session(sha256: "big") == nil)
    }

    /// The image-to-upload links survive reopening; an upload is released only by the last image using it,
    /// and links go away with a forgotten image or a purged upload.
    @Test func uploadLinksSurviveReopeningAndReleaseWithTheLastImage() async throws {
        let dir = try TemporaryFolder(prefix: "dropsight-store")
        defer { dir.cleanup() }
        let path = dir.path + "/db.sqlite"
        do {
            let store = try Store(path: path)
            try await store.saveUpload(upload("files/own", sha: "1", created: t0))
            try await store.saveUpload(upload("files/shared", sha: "2", created: t0))
            try await store.saveUpload(upload("files/dead", sha: "3", created: t0, state: .gone))
            try await store.linkUpload(name: "files/own", toImage: "/p/a.jpg")
            try await store.linkUpload(name: "files/shared", toImage: "/p/a.jpg")
            try await store.linkUpload(name: "files/shared", toImage: "/p/b.jpg")
            try await store.linkUpload(name: "files/shared", toImage: "/p/b.jpg")
            try await store.linkUpload(name: "files/dead", toImage: "/p/a.jpg")
        }
        let store = try Store(path: path)
        #expect(try await store.uploadUsers(name: "files/shared") == ["/p/a.jpg", "/p/b.jpg"])
        #expect(try await store.releaseUploadLinks(image: "/p/a.jpg") == ["files/own"])
        #expect(try await store.releaseUploadLinks(image: "/p/a.jpg") == [])
        #expect(try await store.releaseUploadLinks(image: "/p/b.jpg") == ["files/shared"])

        try await store.linkUpload(name: "files/shared", toImage: "/p/sub/c.jpg")
        try await store.linkUpload(name: "files/own", toImage: "/p/d.jpg")
        try await store.forget(imagePath: "/p/sub")
        #expect(try await store.uploadUsers(name: "files/shared") == [])
        try await store.markUploadGone(name: "files/own")
        _ = try await store.purgeExpiredUploads(now: t0)
        #expect(try await store.uploadUsers(name: "files/own") == [])
    }
}
