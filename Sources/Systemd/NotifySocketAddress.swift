#if canImport(Glibc)
    import Glibc
#endif

/// Where `NOTIFY_SOCKET` points: a file-system path or a Linux abstract socket name.
///
/// systemd 253 and later may also hand out `vsock:` addresses (for virtual machines); those are
/// refused as ``SystemdError/Code/invalidNotifySocket``.
enum NotifySocketAddress: Equatable {
    /// An absolute path such as `/run/systemd/notify`.
    case path(String)
    /// An abstract name (written `@name` in the environment), without the leading `@`.
    case abstract(String)

    /// Parses the value of `NOTIFY_SOCKET`.
    init(_ value: String) throws(SystemdError) {
        if value.hasPrefix("/") {
            self = .path(value)
        } else if value.hasPrefix("@"), value.utf8.count > 1 {
            self = .abstract(String(value.dropFirst()))
        } else {
            throw SystemdError(
                code: .invalidNotifySocket, errno: nil, context: value,
                hint: "NOTIFY_SOCKET must be an absolute path or an @abstract name")
        }
        let limit = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        if pathBytes.count > limit {
            throw SystemdError(
                code: .invalidNotifySocket, errno: nil, context: value,
                hint: "the socket address needs \(pathBytes.count) bytes, sockaddr_un holds \(limit)")
        }
    }

    /// The bytes that go into `sun_path`: a leading NUL marks an abstract name.
    private var pathBytes: [UInt8] {
        switch self {
        case .path(let path): Array(path.utf8) + [0]
        case .abstract(let name): [0] + Array(name.utf8)
        }
    }

    /// Calls `body` with the `sockaddr` for `sendto(2)` and its exact length.
    func withSocketAddress<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemdError) -> Result
    ) throws(SystemdError) -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = pathBytes
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        return try withUnsafePointer(to: &address) { (pointer) throws(SystemdError) -> Result in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (socketAddress) throws(SystemdError) -> Result in
                try body(socketAddress, length)
            }
        }
    }
}
