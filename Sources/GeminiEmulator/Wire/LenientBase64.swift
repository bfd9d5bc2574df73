import Foundation

/// Base64 as the service reads `bytes` fields: standard or URL-safe alphabet, padding
/// optional, embedded whitespace ignored (cookbook requests with wrapped base64 succeed).
enum LenientBase64 {
    static func decode(_ text: String) -> Data? {
        if let strict = Data(base64Encoded: text) { return strict }
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"): bytes.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): bytes.append(UInt8(ascii: "/"))
            case 0x20, 0x0A, 0x0D, 0x09: continue
            default: bytes.append(byte)
            }
        }
        while bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        let remainder = bytes.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { bytes.append(contentsOf: [UInt8](repeating: UInt8(ascii: "="), count: 4 - remainder)) }
        return Data(base64Encoded: Data(bytes))
    }
}
