import DropsightTestSupport
import Foundation
import Imaging
import InMemoryLogging
import Testing

/// libvips's own warnings reach the logger given to `Imaging.routeWarnings(to:)`, not bare stderr.
struct VipsWarningTests {
    @Test func aDamagedJPEGsWarningIsLogged() throws {
        let recorder = InMemoryLogHandler(level: .trace)
        Imaging.routeWarnings(to: recorder.logger(label: "vips-test"))
        // Bytes no earlier decode in this process saw, so libvips's operation cache cannot answer without a warning.
        var picture = PixelImage(width: 320, height: 240, bands: 3, fill: UInt8.random(in: 100...200))
        picture.fillRect(x: 40, y: 40, width: 120, height: 100, color: [220, 20, 20])
        var bytes = [UInt8](try ImageCodec.encodeJPEG(picture, quality: 90))
        // Overwrite the scan data after the start-of-scan header with a pattern, keeping the end marker.
        let scan = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        for index in (scan + 20)..<(bytes.count - 2) { bytes[index] = UInt8(truncatingIfNeeded: index &* 37) }
        _ = try? ImageCodec.decode(bytes)
        let lines = recorder.lines
        #expect(lines.contains { $0.hasPrefix("info libvips: ") && $0.contains("JPEG") }, "\(lines)")
    }
}
