import DropsightTestSupport
import FileAccess
import Foundation
import Imaging
import Testing

@testable import Dropsight

/// What a hostile folder writer plants beside good photos, for the tests that drop it all at once.
struct HostileFolder {
    let h: Harness
    /// A folder outside the watched one, holding `secret.jpg` and `album/x.jpg`.
    let outside: String
    /// The watched folder's `blocked.jpg` has a directory where its sidecar goes.
    var blocked: String { h.inbox + "/blocked.jpg" }
    /// 250 bytes: its sidecar's name (265) is too long to exist.
    static let tooLongName = String(repeating: "l", count: 246) + ".jpg"
    /// 236 bytes: every output's name still fits.
    static let longName = String(repeating: "m", count: 232) + ".jpg"
    /// `caf\xE9.jpg`: a Latin-1 name, as dropsight shows it.
    static let latin1Shown = #"caf\xE9.jpg"#
    /// Refused with a clear sidecar error, by name.
    static let refused = [
        "huge.jpg": "file_too_large", "scan.jpg": "unsupported_format", "anim.jpg": "unsupported_format", "vector.jpg": "not_an_image",
    ]
    /// Planted but never taken (no sidecar): a FIFO, a link to a photo outside, a linked folder.
    static let untaken = ["pipe.jpg", "link.jpg", "linked-album"]

    init(_ h: Harness) throws {
        self.h = h
        outside = h.root + "/outside"
        try FileManager.default.createDirectory(atPath: outside + "/album", withIntermediateDirectories: true)
        try h.dropImage(named: "secret.jpg", width: 80, height: 60, in: outside)
        try h.dropImage(named: "x.jpg", in: outside + "/album")
        try FileManager.default.createDirectory(atPath: blocked + OutputNames.sidecarSuffix, withIntermediateDirectories: false)
    }

    /// Everything outside the watched folder, to compare before and after.
    func outsideFiles() throws -> [String] { try FileManager.default.subpathsOfDirectory(atPath: outside).sorted() }

    /// Drops the hostile files and five good photos into the watched folder; returns the paths of the photos
    /// that should end with every prompt ok (the five, the 236-byte name and the Latin-1 name).
    func drop() throws -> [String] {
        let temp = h.inbox + "/.incoming-huge.jpg"
        try ImageCodec.encodeJPEG(PixelImage(width: 100, height: 100, bands: 3, fill: 90)).write(to: URL(fileURLWithPath: temp))
        #expect(truncate(temp, 50_000_000_000) == 0)
        #expect(rename(temp, h.inbox + "/huge.jpg") == 0)
        #expect(mkfifo(h.inbox + "/pipe.jpg", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: h.inbox + "/link.jpg", withDestinationPath: outside + "/secret.jpg")
        try FileManager.default.createSymbolicLink(atPath: h.inbox + "/linked-album", withDestinationPath: outside + "/album")
        try Drop.file(OtherFormats.tiff, named: "scan.jpg", in: h.inbox)
        try Drop.file(OtherFormats.gif, named: "anim.jpg", in: h.inbox)
        try Drop.file(OtherFormats.svg, named: "vector.jpg", in: h.inbox)
        try h.dropImage(named: "blocked.jpg")
        for name in [Self.tooLongName, Self.longName] {
            let staged = try h.dropImage(named: "staged.jpg", in: h.root)  // ".incoming-" + the name would be too long
            #expect(rename(staged, h.inbox + "/" + name) == 0)
        }
        let staged = try h.dropImage(named: "staged.jpg", in: h.root)
        let latin1: [CChar] = Array((h.inbox + "/caf").utf8CString.dropLast()) + [CChar(bitPattern: 0xE9)] + Array(".jpg".utf8CString)
        #expect(rename(staged, latin1) == 0)
        let good = try (1...5).map { try h.dropImage(named: "good-\($0).jpg") }
        return good + [h.inbox + "/" + Self.longName, h.inbox + "/" + Self.latin1Shown]
    }
}
