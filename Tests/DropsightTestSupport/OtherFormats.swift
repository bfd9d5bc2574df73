import Foundation

/// Tiny, valid images in formats dropsight refuses (TIFF, GIF, SVG), for files named `.jpg` that are not.
public enum OtherFormats {
    /// A 1x1 grey uncompressed little-endian TIFF.
    public static let tiff: Data = {
        let entries: [(tag: UInt16, type: UInt16, value: UInt32)] = [
            (256, 3, 1), (257, 3, 1), (258, 3, 8), (259, 3, 1), (262, 3, 1),
            (273, 4, 8 + 2 + 9 * 12 + 4), (277, 3, 1), (278, 3, 1), (279, 4, 1),
        ]
        var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + le32(8) + le16(UInt16(entries.count))
        for e in entries { bytes += le16(e.tag) + le16(e.type) + le32(1) + le32(e.value) }
        bytes += le32(0) + [0x80]
        return Data(bytes)
    }()

    /// A 1x1 white GIF89a.
    public static let gif = Data([
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0xFF, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44,
        0x01, 0x00, 0x3B,
    ])

    /// A 10x10 red SVG.
    public static let svg = Data(
        #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>"#
            .utf8)

    private static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
}
