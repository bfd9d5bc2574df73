import Foundation

/// Host names that never leave the machine: `localhost`, 127.0.0.0/8 and `::1`.
///
/// `[api] base_url` may use plain `http://` only to these (the emulator, a local proxy).
enum LoopbackHost {
    static func contains(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, bare, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        return bytes == [UInt8](repeating: 0, count: 15) + [1]
    }
}
