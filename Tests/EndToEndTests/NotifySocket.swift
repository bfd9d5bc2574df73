import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The service manager's end of `NOTIFY_SOCKET` for a daemon run as a subprocess: a bound `AF_UNIX` datagram
/// socket whose messages (`READY=1`, `STATUS=…`, `WATCHDOG=1`) a test reads as they arrive.
final class NotifySocket: Sendable {
    let path: String
    private let descriptor: Int32
    private let received = Mutex<[String]>([])

    /// Binds `notify` in `directory`.
    init(in directory: String) throws {
        path = directory + "/notify"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno)!) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8) + [0]
        guard bytes.count <= MemoryLayout.size(ofValue: address.sun_path) else { throw TestFailure("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// What a daemon needs to report here, with a 2 s watchdog so its status ticks every second.
    var environment: [String: String] { ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "2000000"] }

    /// Every assignment received so far, in order (a datagram of several lines gives several).
    var messages: [String] {
        received.withLock { list in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard count > 0 else { break }
                list += String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\n").map(String.init)
            }
            return list
        }
    }

    /// How many `WATCHDOG=1` arrived so far.
    var watchdogPings: Int { messages.filter { $0 == "WATCHDOG=1" }.count }
}
