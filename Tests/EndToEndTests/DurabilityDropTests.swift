import Foundation
import Store
import Testing

@testable import Dropsight

extension DurabilityTests {
    @Suite struct Drops {
        /// 2,000 images arriving at once, 1,000 copied in (create, write, close) and 1,000 moved in (rename):
        /// each is sent exactly once and gets one sidecar describing that image.
        @Test func twoThousandFilesDroppedAtOnceAreEachProcessedOnce() async throws {
            let h = try await Harness(api: "max_concurrency = 8\nbatch = \"off\"")
            let daemon = try await RunningDaemon.start(h)
            let staging = try h.folder("staging")
            // Every image has its own size, so every caption names its own image.
            var images: [(name: String, width: Int, height: Int, data: Data)] = []
            for i in 0..<2000 {
                let (w, ht) = (40 + i % 50, 30 + i / 50)
                images.append(
                    (String(format: "%@-%04d.jpg", i < 1000 ? "copied" : "moved", i), w, ht, try Harness.jpeg(width: w, height: ht)))
            }
            for image in images[1000...] { try image.data.write(to: URL(fileURLWithPath: staging + "/" + image.name)) }
            for i in 0..<1000 {
                try writeInPlace(images[i].data, to: h.inbox + "/" + images[i].name)
                #expect(rename(staging + "/" + images[1000 + i].name, h.inbox + "/" + images[1000 + i].name) == 0)
            }

            let finished = await eventually(600) { completeSidecars(in: h.inbox, prompts: 1) == 2000 }
            #expect(finished, "only \(completeSidecars(in: h.inbox, prompts: 1)) of 2,000 sidecars were written")
            await daemon.stop()

            var inlineLengths: [Int] = []
            for image in images {
                let path = h.inbox + "/" + image.name
                let sidecar = try #require(h.sidecar(of: path), "no sidecar for \(image.name)")
                let caption = try #require(sidecar.prompts["caption"])
                #expect(caption.status == .ok)
                #expect(caption.text?.contains("\(image.width)x\(image.height)") == true, "\(image.name): \(caption.text ?? "-")")
                #expect(sidecar.image.sha256 == FileHash.sha256Hex(image.data))
                // Small JPEGs are sent as they are: the request carries this file's own base64.
                #expect(caption.sent?.bytes == image.data.count)
                inlineLengths.append(Self.base64Length(image.data))
            }
            // One request per image: the request bodies differ from one another only by the image's base64,
            // so, sorted, their sizes line up one for one with the images' encoded sizes, and there are 2,000.
            let requests = try await h.generateRequests()
            #expect(requests.count == 2000)
            let bodies = requests.compactMap { $0["bytes"] as? Int }.sorted()
            #expect(bodies.count == inlineLengths.count)
            #expect(Set(zip(bodies, inlineLengths.sorted()).map { $0 - $1 }).count == 1)

            let store = try Store(path: h.stateDir + "/dropsight.sqlite3")
            let status = try await store.status(now: Date())
            #expect(status.counts[.done] == 2000)
            #expect(status.counts[.pending] == 0 && status.counts[.running] == 0 && status.counts[.failed] == 0)
            await h.stop()
        }

        /// A file written over 3 s (one open descriptor, a chunk every 300 ms), while the daemon starts, is
        /// sent once, after it is complete, although the start-up scan saw it half written.
        @Test func aFileWrittenSlowlyIsProcessedOnceWhenComplete() async throws {
            let h = try await Harness()
            let data = try Harness.jpeg(width: 640, height: 480)
            let path = h.inbox + "/slow.jpg"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            let chunks = stride(from: 0, to: data.count, by: (data.count + 9) / 10).map {
                data[$0..<min($0 + (data.count + 9) / 10, data.count)]
            }
            var daemon: RunningDaemon?
            for (i, chunk) in chunks.enumerated() {
                let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                #expect(written == chunk.count)
                if i == 1 { daemon = try await RunningDaemon.start(h) }
                try await Task.sleep(for: .milliseconds(300))
                #expect(h.sidecar(of: path) == nil, "a sidecar appeared after chunk \(i + 1) of \(chunks.count)")
                #expect(try await h.generateRequests().isEmpty)
            }
            close(fd)

            let sidecar = try #require(await h.waitForSidecar(path))
            #expect(sidecar.image.sha256 == FileHash.sha256Hex(data))
            #expect(sidecar.prompts["caption"]?.text?.contains("640x480") == true)
            // Longer than the scan's quiet time: a second take would have been sent by now.
            try await Task.sleep(for: .seconds(3))
            #expect(try await h.generateRequests().count == 1)
            await daemon?.stop()
            await h.stop()
        }

        /// Length of `data` in base64 as the request carries it (streamed into the JSON as it is, `/` unescaped).
        static func base64Length(_ data: Data) -> Int { (data.count + 2) / 3 * 4 }
    }
}

/// Writes a file the way `cp` does: create, write, close, in the final place.
func writeInPlace(_ data: Data, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw TestFailure("cannot create \(path)") }
    defer { close(fd) }
    let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == data.count else { throw TestFailure("short write to \(path)") }
}
