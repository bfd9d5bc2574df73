#if canImport(Glibc)
    import Glibc
#endif

/// A bare TCP listener on 127.0.0.1 whose every byte the test scripts, for servers that misbehave.
///
/// Calls never block (non-blocking listener, `MSG_DONTWAIT`) and waits poll with `Task.sleep`, so no test blocks the cooperative pool.
final class RawServer: Sendable {
    let port: Int
    private let listener: Int32

    /// Binds a free port; with `listening: false` nothing listens, so connecting is refused.
    init(listening: Bool = true) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw RawSocketError(call: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && getsockname(listener, address, &length) == 0
            }
        }
        guard bound, !listening || listen(listener, 64) == 0 else {
            let error = RawSocketError(call: "bind or listen", errno: errno)
            close(listener)
            throw error
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(listener)
    }

    var url: String { "http://127.0.0.1:\(port)/" }

    /// Waits up to 10 s for the next connection.
    func accept() async throws -> RawConnection {
        for _ in 0..<2000 {
            let descriptor = Glibc.accept(listener, nil, nil)
            if descriptor >= 0 { return RawConnection(descriptor: descriptor) }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw RawSocketError(call: "accept", errno: errno)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw RawSocketError(call: "accept (nothing connected within 10 s)", errno: 0)
    }
}

/// One accepted connection of a `RawServer`.
final class RawConnection: Sendable {
    private let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Reads until the blank line that ends a request head (waiting up to 10 s) and returns the head.
    func readRequestHead() async throws -> String {
        var received: [UInt8] = []
        for _ in 0..<2000 {
            switch receive() {
            case .bytes(let bytes):
                received += bytes
                let text = String(decoding: received, as: UTF8.self)
                if text.contains("\r\n\r\n") { return text }
            case .closed:
                throw RawSocketError(call: "recv (peer closed before the request head ended)", errno: 0)
            case .nothingYet:
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        throw RawSocketError(call: "recv (no request head within 10 s)", errno: 0)
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            guard count > 0 else { throw RawSocketError(call: "send", errno: errno) }
            sent += count
        }
    }

    /// Waits up to 10 s for the peer to close (or reset) the connection; true when it did.
    func waitForPeerClose() async throws -> Bool {
        for _ in 0..<2000 {
            switch receive() {
            case .closed: return true
            case .bytes: continue
            case .nothingYet: try await Task.sleep(for: .milliseconds(5))
            }
        }
        return false
    }

    private enum Received {
        case bytes([UInt8])
        case closed, nothingYet
    }

    private func receive() -> Received {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count > 0 { return .bytes(Array(buffer[..<count])) }
        if count == 0 { return .closed }
        return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? .nothingYet : .closed
    }
}

struct RawSocketError: Error, CustomStringConvertible {
    let call: String
    let errno: Int32
    var description: String { "\(call) failed: \(String(cString: strerror(errno)))" }
}
