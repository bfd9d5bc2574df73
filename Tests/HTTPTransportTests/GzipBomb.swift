/// A gzip stream of `size` zero bytes that is about 1/160 of that: a literal zero, then back-references of
/// 258 bytes at distance 1 in one fixed-Huffman deflate block (RFC 1951 3.2.6, RFC 1952).
enum GzipBomb {
    static func zeros(_ size: Int) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        bits.writeCode(0b0011_0000, length: 8)  // literal 0
        var written = 1
        while size - written >= 258 {
            bits.writeCode(0b1100_0101, length: 8)  // length code 285: 258 bytes
            bits.writeCode(0, length: 5)  // distance code 0: distance 1
            written += 258
        }
        while written < size {
            bits.writeCode(0b0011_0000, length: 8)
            written += 1
        }
        bits.writeCode(0, length: 7)  // end of block
        let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        return header + bits.bytes + le32(crc32OfZeros(size)) + le32(UInt32(truncatingIfNeeded: size))
    }

    private static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }

    private static func crc32OfZeros(_ count: Int) -> UInt32 {
        let table: [UInt32] = (0..<256).map { n in
            (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for _ in 0..<count { crc = table[Int(crc & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}

/// Deflate's bit order: fields from their least significant bit, Huffman codes from their most significant.
private struct BitWriter {
    var bytes: [UInt8] = []
    private var used = 8

    mutating func write(_ value: UInt32, count: Int) {
        for i in 0..<count {
            if used == 8 {
                bytes.append(0)
                used = 0
            }
            bytes[bytes.count - 1] |= UInt8((value >> i) & 1) << used
            used += 1
        }
    }

    mutating func writeCode(_ code: UInt32, length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) { write((code >> i) & 1, count: 1) }
    }
}
