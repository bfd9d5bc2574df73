import DropsightTestSupport
import Foundation
import GeminiAPI
import HTTPTransport
import Imaging
import Logging
import Store
import Testing

@testable import Dropsight

/// Part 3: the Files API path against the in-process emulator.
@Suite(.serialized, .cleansUp) struct FilesAPITests {
    static let mib: Int64 = 1 << 20

    /// A 40 MB upload whose connection drops in the middle of chunk 3 completes; only that chunk is sent again.
    @Test func droppedConnectionCostsOnlyTheChunkInFlight() async throws {
        let h = try await Harness()
        let path = h.root + "/forty.jpg"
        try BigFile.write(path, size: 40_000_000)
        try await h.admin(
            "_emulator/faults",
            [
                [
                    "route": "upload", "command": "upload", "action": "drop", "skip": 2,
                    "afterBytes": 4 * Self.mib,
                ]
            ])
        let runtime = try h.runtime()
        let file = try await runtime.files.file(FileCache.local(path: path))
        #expect(file.sizeBytes == 40_000_000 && !file.reused)

        let log = try await h.uploadRequests()
        let chunks = log.filter(\.isChunk)
        let dropped = try #require(chunks.firstIndex { $0.status == 0 }, "the fault did not fire: \(log)")
        #expect(chunks[dropped].offset == 16 * Self.mib, "\(log)")
        #expect(log.map(\.command).filter { $0 == "start" }.count == 1)
        let queryIndex = try #require(log.firstIndex { $0.command == "query" }, "no query after the drop: \(log)")
        #expect(queryIndex > log.firstIndex { $0.status == 0 }!)
        // Every offset before the failed one went over the wire exactly once.
        let offsets = chunks.compactMap(\.offset)
        for offset in Set(offsets) where offset < 16 * Self.mib {
            #expect(offsets.filter { $0 == offset }.count == 1, "chunk at \(offset) sent more than once: \(log)")
        }
        #expect(chunks.last?.command == "upload, finalize" && chunks.last?.status == 200)
        // The session URL is the credential: chunks and queries carry no key.
        for request in log where request.command != "start" {
            #expect(!request.headerNames.contains("x-goog-api-key"), "\(request) carried the API key")
        }
        #expect(try await h.filesAPI("GET", file.name) == 200)
    }

    /// When the server already holds every byte (the last chunk's bytes arrived but its answer was lost),
    /// the upload ends with `finalize` alone.
    @Test func dataEndingOnABoundaryIsFinalizedAlone() async throws {
        let h = try await Harness()
        let path = h.root + "/sixteen.jpg"
        try BigFile.write(path, size: 16 * Self.mib, seed: 7)
        try await h.admin(
            "_emulator/faults",
            [
                [
                    "route": "upload", "command": "upload, finalize", "action": "drop",
                    "afterBytes": 8 * Self.mib,
                ]
            ])
        let file = try await h.runtime().files.file(FileCache.local(path: path))
        #expect(file.sizeBytes == 16 * Self.mib)
        let commands = try await h.uploadRequests().map { "\($0.command)@\($0.offset ?? -1)" }
        #expect(commands == ["start@-1", "upload@0", "upload, finalize@\(8 * Self.mib)", "query@-1", "finalize@\(16 * Self.mib)"])
    }

    /// A tampered `sha256Hash` in the final answer is an error, and nothing is recorded as uploaded.
    @Test func hashMismatchIsAnError() async throws {
        let h = try await Harness()
        let path = h.root + "/small.jpg"
        try BigFile.write(path, size: 100_000)
        let runtime = try h.runtime(edit: { _ in }, transport: HashTamperingTransport(inner: try CurlTransport()))
        let error = await #expect(throws: GeminiError.self) { try await runtime.files.file(FileCache.local(path: path)) }
        #expect(error?.code == .upload)
        #expect(error?.message.contains("SHA-256") == true)
        #expect(try await runtime.store.uploads().isEmpty)
        // The next try starts a new session, and the mismatching file was deleted on the server.
        #expect(try await runtime.store.sessions().isEmpty)
        #expect(try await h.requests().contains { $0["method"] as? String == "DELETE" && $0["status"] as? Int == 200 })
    }

    /// Three prompts on one large image: one upload, three generateContent calls that name the file.
    @Test func threePromptsOnOneImageShareOneUpload() async throws {
        let prompts = ["caption", "describe", "colours"].map { name in
            "[prompt.\(name)]\ntext = \"\(name): what is in this photo?\"\nresolution = \"original\"\n"
        }.joined(separator: "\n")
        let h = try await Harness(prompts: prompts, folderPrompts: ["caption", "describe", "colours"])
        let image = try LargeJPEG.write(h.inbox + "/big.jpg", minimumBytes: 30_000_000)
        let outcome = try await ImageProcessor(runtime: try h.runtime()).process(
            path: image, folder: try h.configuration().folders.first, promptNames: ["caption", "describe", "colours"])
        #expect(outcome.allOK)

        let uploads = try await h.uploadRequests()
        #expect(uploads.filter { $0.command == "start" }.count == 1)
        let generate = try await h.generateRequests()
        #expect(generate.count == 3)
        for request in generate { #expect(request["partKinds"] as? [String] == ["fileData", "text"]) }
        let sidecar = try JSONDecoder().decode(Sidecar.self, from: Data(contentsOf: URL(fileURLWithPath: outcome.sidecarPath)))
        #expect(sidecar.prompts.values.map { $0.sent?.transport } == ["file", "file", "file"])
    }

    /// `auto` sends the image inline when the whole request fits `inline_max_bytes`, through the Files API one byte below.
    @Test func inlineOrFilesIsDecidedAtTheBoundary() async throws {
        let h = try await Harness()
        let image = try h.dropImage(named: "boundary.jpg", width: 320, height: 240)
        let config = try h.configuration()
        let prompt = try #require(config.prompts["caption"])
        let subject = try ImageSubject(path: image, maxPixels: config.images.maxPixels)
        let copy = try subject.prepared(prompt.resolution)
        let size = ImageParts.inlineRequestSize(
            [.init(copy: copy, displayName: "boundary.jpg", uses: 1)],
            textBytes: prompt.text.utf8.count + (prompt.system?.utf8.count ?? 0))

        for (limit, expected) in [(size, "inlineData"), (size - 1, "fileData")] {
            let runtime = try h.runtime(edit: { $0.api.inlineMaxBytes = limit })
            let outcome = try await ImageProcessor(runtime: runtime).process(
                path: image, folder: config.folders.first,
                promptNames: ["caption"])
            #expect(outcome.allOK)
            let last = try #require(try await h.generateRequests().last)
            #expect(last["partKinds"] as? [String] == [expected, "text"], "limit \(limit)")
            if expected == "inlineData" {
                // The estimate counts everything: the real body is within the limit.
                #expect((last["bytes"] as? NSNumber)?.intValue ?? .max <= limit)
            }
        }
        #expect(try await h.uploadRequests().filter { $0.command == "start" }.count == 1)
    }

    /// An upload 30 minutes old is reused; one with 30 minutes left (47.5 h old) is replaced by a new upload.
    @Test func reuseDependsOnTheTimeLeft() async throws {
        for (age, starts) in [(1800.0, 1), (47.5 * 3600, 2)] {
            let h = try await Harness(api: "transport = \"files\"")
            let clock = TestClock()
            let runner = try Self.runner(h, clock: clock)
            let first = try h.dropImage(named: "first.jpg")
            let second = try h.dropImage(named: "second.jpg")
            let prompt = try #require(try h.configuration().prompts["caption"])
            let a = try await runner.run(prompt, on: ImageSubject(path: first, maxPixels: 1 << 30), output: SafeOutput(directory: h.inbox))
            try await clock.advance(age, emulator: h)
            let b = try await runner.run(prompt, on: ImageSubject(path: second, maxPixels: 1 << 30), output: SafeOutput(directory: h.inbox))
            #expect(a.result.status == .ok && b.result.status == .ok)
            #expect(b.result.sent?.transport == "file")
            #expect(try await h.uploadRequests().filter { $0.command == "start" }.count == starts, "age \(age) s")
            await h.stop()
        }
    }

    /// A file deleted on the server behind our back: the 403 marks it gone and it is uploaded exactly once more.
    @Test func fileDeletedElsewhereIsUploadedOnceMore() async throws {
        let h = try await Harness(api: "transport = \"files\"")
        let image = try h.dropImage(named: "gone.jpg")
        let runtime = try h.runtime()
        let processor = ImageProcessor(runtime: runtime)
        let folder = try h.configuration().folders.first
        #expect(try await processor.process(path: image, folder: folder, promptNames: ["caption"]).allOK)
        let name = try #require(try await runtime.store.uploads().first?.name)
        #expect(try await h.filesAPI("DELETE", name) == 200)

        #expect(try await processor.process(path: image, folder: folder, promptNames: ["caption"]).allOK)
        #expect(try await h.uploadRequests().filter { $0.command == "start" }.count == 2)
        let statuses = try await h.generateRequests().map { ($0["status"] as? NSNumber)?.intValue }
        #expect(statuses == [200, 403, 200])
        let records = try await runtime.store.uploads()
        #expect(records.first { $0.name == name }?.state == .gone)
        #expect(records.filter { $0.state == .active }.count == 1)
    }

    /// Reference images are uploaded once and reused by every request, sent before the image, then the text.
    @Test func referencesAreUploadedOnceAndSentFirst() async throws {
        let goldenCopy = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString).jpg").path
        var picture = PixelImage(width: 96, height: 64, bands: 3, fill: 255)
        picture.fillRect(x: 10, y: 10, width: 30, height: 20, color: [20, 20, 220])
        try ImageCodec.encodeJPEG(picture).write(to: URL(fileURLWithPath: goldenCopy))
        defer { unlink(goldenCopy) }
        let h = try await Harness(
            prompts: """
                [prompt.diff]
                text = "What differs between the reference and this photo?"
                references = ["\(goldenCopy)"]
                """, folderPrompts: ["diff"])
        let processor = ImageProcessor(runtime: try h.runtime())
        let folder = try h.configuration().folders.first
        for name in ["one.jpg", "two.jpg", "three.jpg"] {
            let image = try h.dropImage(named: name, width: 64 + name.count, height: 48)
            #expect(try await processor.process(path: image, folder: folder, promptNames: ["diff"]).allOK)
        }
        #expect(try await h.uploadRequests().filter { $0.command == "start" }.count == 1)
        let generate = try await h.generateRequests()
        #expect(generate.count == 3)
        for request in generate { #expect(request["partKinds"] as? [String] == ["fileData", "inlineData", "text"]) }
    }

    /// With delete_after_use, the image's own upload is deleted once it is done; the reference stays.
    @Test func releaseUploadsDeletesOnlyTheImagesOwn() async throws {
        let h = try await Harness()
        let runtime = try h.runtime()
        let image = try h.dropImage(named: "own.jpg")
        let other = try h.dropImage(named: "other.jpg", width: 80)
        let reference = try await runtime.files.file(for: Data("reference".utf8), mimeType: "text/plain", displayName: "ref.txt")
        let own = try await runtime.files.file(
            for: try Data(contentsOf: URL(fileURLWithPath: image)), mimeType: "image/jpeg",
            displayName: "own.jpg", forImage: image)
        let shared = try await runtime.files.file(
            for: try Data(contentsOf: URL(fileURLWithPath: other)), mimeType: "image/jpeg",
            displayName: "other.jpg", forImage: image)
        _ = try await runtime.files.file(
            for: try Data(contentsOf: URL(fileURLWithPath: other)), mimeType: "image/jpeg",
            displayName: "other.jpg", forImage: other)

        #expect(await runtime.files.releaseUploads(forImage: image) == [own.name])
        #expect(try await h.filesAPI("GET", own.name) == 403)
        #expect(try await h.filesAPI("GET", shared.name) == 200)
        #expect(try await h.filesAPI("GET", reference.name) == 200)
        #expect(try await runtime.store.uploads().first { $0.name == own.name }?.state == .gone)
        #expect(await runtime.files.releaseUploads(forImage: other) == [shared.name])
    }

    /// Above the quota budget, the least recently used upload is deleted first.
    @Test func quotaBudgetDeletesTheLeastRecentlyUsed() async throws {
        let h = try await Harness()
        let runtime = try h.runtime()
        let cache = FileCache(
            client: runtime.client, store: runtime.store, stateDir: h.stateDir, reuseMargin: .seconds(3600),
            logger: Logger(label: "test"), quotaBudget: 2_500_000)
        let blobs = (0..<3).map { Data(repeating: UInt8($0), count: 1_000_000) }
        let a = try await cache.file(for: blobs[0], mimeType: "text/plain", displayName: "a")
        let b = try await cache.file(for: blobs[1], mimeType: "text/plain", displayName: "b")
        _ = try await cache.file(for: blobs[0], mimeType: "text/plain", displayName: "a")  // a is now the most recent
        let c = try await cache.file(for: blobs[2], mimeType: "text/plain", displayName: "c")
        #expect(try await h.filesAPI("GET", b.name) == 403)
        #expect(try await h.filesAPI("GET", a.name) == 200)
        #expect(try await h.filesAPI("GET", c.name) == 200)
        #expect(try await runtime.store.uploads().filter { $0.state == .active }.map(\.name).sorted() == [a.name, c.name].sorted())
    }

    /// The copy a batch not yet answered reads is kept when room is made, although it is the least recently used.
    @Test func quotaBudgetKeepsTheFilesOfAnOpenBatch() async throws {
        let h = try await Harness()
        let runtime = try h.runtime()
        let cache = FileCache(
            client: runtime.client, store: runtime.store, stateDir: h.stateDir, reuseMargin: .seconds(3600),
            logger: Logger(label: "test"), quotaBudget: 2_500_000)
        let photo = h.inbox + "/a.jpg"
        try await runtime.store.enqueue(
            ImageRecord(path: photo, folder: h.inbox, size: 1, mtimeNs: 1, sha256: "sha-a"),
            prompts: [PromptSpec(name: "caption", hash: "h")],
            now: Date())
        let blobs = (0..<3).map { Data(repeating: UInt8($0), count: 1_000_000) }
        let a = try await cache.file(for: blobs[0], mimeType: "text/plain", displayName: "a", forImage: photo)
        _ = try #require(
            try await runtime.store.beginBatch(
                displayName: "dropsight-pin", model: "gemini-2.5-flash", folders: [h.inbox], prompts: ["caption"], limit: 10, now: Date()))
        let b = try await cache.file(for: blobs[1], mimeType: "text/plain", displayName: "b")
        let c = try await cache.file(for: blobs[2], mimeType: "text/plain", displayName: "c")
        #expect(try await h.filesAPI("GET", a.name) == 200, "the batch's copy was deleted")
        #expect(try await h.filesAPI("GET", b.name) == 403)
        #expect(try await h.filesAPI("GET", c.name) == 200)
    }

    /// Expiry is tracked on our own clock from the lifetime the server grants, so a local clock hours off the
    /// server's neither drops a fresh upload nor keeps an old one.
    @Test func skewedLocalClockDoesNotShiftReuse() async throws {
        let h = try await Harness()
        let runtime = try h.runtime()
        let cache = FileCache(
            client: runtime.client, store: runtime.store, stateDir: h.stateDir, reuseMargin: .seconds(3600),
            logger: Logger(label: "test"), now: { Date().addingTimeInterval(47 * 3600) })
        let first = try await cache.file(for: Data("skew".utf8), mimeType: "text/plain", displayName: "skew.txt")
        let second = try await cache.file(for: Data("skew".utf8), mimeType: "text/plain", displayName: "skew.txt")
        #expect(second.reused && second.name == first.name)
        #expect(try await h.uploadRequests().filter { $0.command == "start" }.count == 1)
    }

    /// A saved session older than the service keeps sessions is cancelled and forgotten; the upload starts afresh.
    @Test func staleSessionIsAbandoned() async throws {
        let h = try await Harness()
        let runtime = try h.runtime()
        let path = h.root + "/stale.jpg"
        try BigFile.write(path, size: 1_000_000, seed: 5)
        let local = try await FileCache.local(path: path)
        let url = try await runtime.client.startUpload(size: local.size, mimeType: local.mimeType, displayName: "stale.jpg")
        try await runtime.store.saveSession(
            UploadSession(
                sessionURL: url, path: path, sha256: local.sha256, size: local.size,
                mimeType: local.mimeType, offsetConfirmed: 0,
                startedAt: Date().addingTimeInterval(-7 * 86400)))
        let file = try await runtime.files.file(local)
        #expect(!file.reused)
        #expect(try await h.uploadRequests().map(\.command) == ["start", "cancel", "start", "upload, finalize"])
        #expect(try await runtime.store.sessions().isEmpty)
    }

    /// SIGKILL during a 200 MB upload, then the same command again: `query`, then the remaining chunks, no new start.
    @Test func killedUploadContinuesTheSameSession() async throws {
        let binary = try DropsightBinary()
        let h = try await Harness()
        let path = h.root + "/twohundred.jpg"
        try BigFile.write(path, size: 200_000_000, seed: 3)
        // Slow chunks down so the kill lands mid-upload.
        try await h.admin("_emulator/faults", [["route": "upload", "command": "upload", "delayMs": 300, "count": 1000]])
        let first = try await binary.start(["files", "upload", path], harness: h)
        var seen = 0
        while seen < 2 {
            try await Task.sleep(for: .milliseconds(20))
            seen = try await h.uploadRequests().filter { $0.command == "upload" && $0.status == 200 }.count
            #expect(first.process.isRunning, "the upload ended before it could be killed: \(first.stderr)")
            if !first.process.isRunning { return }
        }
        kill(first.process.processIdentifier, SIGKILL)
        #expect(await first.wait() == SIGKILL)
        // The emulator logs a chunk cut short by the kill once it notices the closed connection (the
        // kill may also land between two chunks, and then nothing is cut); what is logged by then is
        // the first run's.
        for _ in 0..<60 {
            if try await h.uploadRequests().contains(where: { $0.status == 0 }) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let before = try await h.uploadRequests().count
        #expect(before >= 3, "the first run's start and two chunks are missing from the log")
        try await h.admin("_emulator/faults", [[String: Any]]())

        let second = try await binary.run(["files", "upload", path], harness: h)
        #expect(second.status == 0, "\(second.stderr)")
        let after = Array(try await h.uploadRequests().dropFirst(before))
        #expect(after.first?.command == "query", "\(after)")
        #expect(!after.contains { $0.command == "start" }, "\(after)")
        let offsets = after.filter(\.isChunk).compactMap(\.offset)
        #expect(offsets.first.map { $0 >= 16 * Self.mib } == true, "\(after)")
        #expect(offsets == offsets.sorted() && Set(offsets).count == offsets.count, "\(after)")
        #expect(after.last?.command == "upload, finalize" && after.last?.status == 200)
        let name = try #require(second.stdout.split(separator: "\t").first.map(String.init))
        #expect(try await h.filesAPI("GET", name) == 200)

        // The key is in no log line and nowhere in the Store's files.
        #expect(!first.stderr.contains(h.apiKey) && !second.stderr.contains(h.apiKey) && !second.stdout.contains(h.apiKey))
        for file in try FileManager.default.contentsOfDirectory(atPath: h.stateDir) where file.hasPrefix("dropsight.sqlite3") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: h.stateDir + "/" + file))
            #expect(bytes.range(of: Data(h.apiKey.utf8)) == nil, "\(file) holds the API key")
        }
    }

    /// `dropsight files upload | list | list --remote | delete | purge --remote` as a user runs them.
    @Test func filesCommands() async throws {
        let binary = try DropsightBinary()
        let h = try await Harness()
        let a = h.root + "/a.jpg"
        let b = h.root + "/b.jpg"
        try BigFile.write(a, size: 300_000, seed: 11)
        try BigFile.write(b, size: 200_000, seed: 12)
        let upA = try await binary.run(["files", "upload", a], harness: h)
        let upB = try await binary.run(["files", "upload", b], harness: h)
        let again = try await binary.run(["files", "upload", a], harness: h)
        #expect(upA.status == 0 && upB.status == 0 && again.status == 0, "\(upA.stderr)\(upB.stderr)\(again.stderr)")
        let nameA = String(upA.stdout.split(separator: "\t")[0])
        let nameB = String(upB.stdout.split(separator: "\t")[0])
        #expect(again.stdout.hasPrefix(nameA + "\t") && again.stderr.contains("reused"))

        let list = try await binary.run(["files", "list"], harness: h)
        #expect(list.stdout.contains("TIME LEFT") && list.stdout.contains(nameA) && list.stdout.contains(nameB))
        #expect(list.stdout.contains("47h") && list.stdout.contains("300.0 kB"))

        #expect(try await binary.run(["files", "delete", nameB], harness: h).status == 0)
        #expect(try await h.filesAPI("GET", nameB) == 403)
        let remote = try await binary.run(["files", "list", "--remote"], harness: h)
        #expect(remote.stdout.contains(nameA) && !remote.stdout.contains(nameB) && remote.stdout.contains("yes"))

        let purge = try await binary.run(["files", "purge", "--remote"], harness: h)
        #expect(purge.status == 0 && purge.stdout.contains("deleted \(nameA)") && purge.stdout.contains("forgot 2"))
        #expect(try await h.filesAPI("GET", nameA) == 403)
        #expect(try await binary.run(["files", "list"], harness: h).stdout.contains("no uploads recorded"))
    }

    static func runner(_ h: Harness, clock: TestClock) throws -> PromptRunner {
        let runtime = try h.runtime()
        let config = runtime.configuration
        let cache = FileCache(
            client: runtime.client, store: runtime.store, stateDir: h.stateDir, reuseMargin: config.api.fileReuseMargin,
            logger: Logger(label: "test"), now: { clock.now })
        return PromptRunner(
            client: runtime.client, defaultModel: config.api.model,
            parts: ImageParts(policy: config.api.transport, inlineMaxBytes: config.api.inlineMaxBytes, files: cache),
            maxPixels: config.images.maxPixels, promptNames: Set(config.prompts.keys), profiles: runtime.profiles,
            imageTokens: runtime.imageTokens, logger: Logger(label: "test"))
    }
}

/// A real JPEG of at least `minimumBytes` (noise compresses badly), for the large-image path.
enum LargeJPEG {
    static func write(_ path: String, minimumBytes: Int) throws -> String {
        var side = 2048
        while true {
            var image = PixelImage(width: side, height: side * 3 / 4, bands: 3, fill: 0)
            var state: UInt32 = 2_463_534_242
            image.pixels.withUnsafeMutableBufferPointer { pixels in
                for i in pixels.indices {
                    state ^= state << 13
                    state ^= state >> 17
                    state ^= state << 5
                    pixels[i] = UInt8(truncatingIfNeeded: state)
                }
            }
            let data = try ImageCodec.encodeJPEG(image, quality: 100)
            if data.count >= minimumBytes {
                try data.write(to: URL(fileURLWithPath: path))
                return path
            }
            side = Int(Double(side) * (Double(minimumBytes) / Double(data.count)).squareRoot() * 1.05)
        }
    }
}
