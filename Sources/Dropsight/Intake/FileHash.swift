import Crypto
import Foundation
import Imaging

/// SHA-256 of a file, read in 1 MiB blocks (constant memory whatever the size), as lowercase hex.
public enum FileHash {
    public static func sha256Hex(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            hasher.update(data: block)
        }
        return hex(hasher.finalize())
    }

    /// The SHA-256 of a file already open (up to the size it had when opened).
    public static func sha256Hex(file: ImageFile) throws -> String {
        var hasher = SHA256()
        try file.forEachBlock { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    public static func sha256Hex(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
