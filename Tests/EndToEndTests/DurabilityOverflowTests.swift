import Foundation
import Testing

@testable import Dropsight

extension DurabilityTests {
    @Suite struct Overflow {
        /// The kernel's inotify queue really overflows (the watcher stops reading while files pour in):
        /// images whose events were lost are found by the rescan that follows, and each is sent once.
        @Test func anOverflowedEventQueueLosesNothing() async throws {
            let h = try await Harness()
            let daemon = try await RunningDaemon.start(h)
            let watcher = try #require(daemon.watcher)
            let queueLimit =
                (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 16384

            // Paused for as long as the files take to make, however busy the machine; resumed below.
            watcher._pauseReading(for: .seconds(300))
            try await Task.sleep(for: .milliseconds(300))
            // Each file created and closed queues two events (IN_CREATE, IN_CLOSE_WRITE), even for names the
            // daemon ignores: these fill the queue.
            for i in 0..<(queueLimit / 2 + 500) {
                let fd = open(h.inbox + "/filler-\(i).tmp", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
                try #require(fd >= 0)
                close(fd)
            }
            // The queue is full: the kernel drops these images' events and queues IN_Q_OVERFLOW instead.
            var images: [String] = []
            for i in 0..<20 {
                let path = h.inbox + "/after-overflow-\(i).jpg"
                try writeInPlace(try Harness.jpeg(width: 60 + i, height: 40), to: path)
                images.append(path)
            }

            watcher._pauseReading(for: .zero)
            let done = await eventually(90) { images.allSatisfy { h.sidecar(of: $0) != nil } }
            #expect(done, "\(images.filter { h.sidecar(of: $0) == nil }.count) of 20 images were lost")
            #expect(daemon.logs.contains("inotify event queue overflowed"))
            await daemon.stop()
            #expect(try await h.generateRequests().count == 20)
            for (i, path) in images.enumerated() {
                #expect(h.sidecar(of: path)?.prompts["caption"]?.text?.contains("\(60 + i)x40") == true)
            }
            await h.stop()
        }
    }
}
