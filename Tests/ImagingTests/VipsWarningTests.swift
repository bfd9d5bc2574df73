import Foundation
import Imaging
import Logging
import Synchronization
import Testing

/// libvips's own warnings reach the logger given to `Imaging.routeWarnings(to:)`, not bare stderr.
struct VipsWarningTests {
    final class Recorder: Sendable {
        let lines = Mutex<[String]>([])
    }

    struct Handler: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.lines.withLock { $0.append("\(event.level) \(event.message)") }
        }
    }

    @Test func aDamagedJPEGsWarningIsLogged() throws {
        let recorder = Recorder()
        Imaging.routeWarnings(to: Logger(label: "vips-test") { _ in Handler(recorder: recorder) })
        var picture = PixelImage(width: 320, height: 240, bands: 3, fill: 200)
        picture.fillRect(x: 40, y: 40, width: 120, height: 100, color: [220, 20, 20])
        var bytes = [UInt8](try ImageCodec.encodeJPEG(picture, quality: 90))
        // Overwrite the scan data after the start-of-scan header with a pattern, keeping the end marker.
        let scan = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        for index in (scan + 20)..<(bytes.count - 2) { bytes[index] = UInt8(truncatingIfNeeded: index &* 37) }
        _ = try? ImageCodec.decode(bytes)
        let lines = recorder.lines.withLock { $0 }
        #expect(lines.contains { $0.hasPrefix("info libvips: ") && $0.contains("JPEG") }, "\(lines)")
    }
}
