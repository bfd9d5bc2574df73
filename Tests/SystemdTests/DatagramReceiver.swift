import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A bound `AF_UNIX` datagram socket standing in for systemd's notify socket.
final class DatagramReceiver {
    /// The value to put in `NOTIFY_SOCKET` to reach this socket.
    let notifySocket: String
    private let descriptor: Int32
    private let directory: URL?
    private let file: String?

    /// Binds a socket file in a fresh temporary folder.
    static func path() throws -> DatagramReceiver {
        let directory = FileManager.default.temporaryDirectory.appending(path: "notify-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appending(path: "notify").path
        return try DatagramReceiver(notifySocket: path, sunPath: Array(path.utf8) + [0], directory: directory, file: nil)
    }

    /// Binds a socket file at `path` (removed with the receiver).
    static func bound(at path: String) throws -> DatagramReceiver {
        try DatagramReceiver(notifySocket: path, sunPath: Array(path.utf8) + [0], directory: nil, file: path)
    }

    /// Binds a Linux abstract socket with a unique name.
    static func abstract() throws -> DatagramReceiver {
        let name = "dropsight-test-\(UUID().uuidString)"
        return try DatagramReceiver(notifySocket: "@" + name, sunPath: [0] + Array(name.utf8), directory: nil, file: nil)
    }

    private init(notifySocket: String, sunPath: [UInt8], directory: URL?, file: String?) throws {
        self.notifySocket = notifySocket
        self.directory = directory
        self.file = file
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno)!) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: sunPath) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + sunPath.count)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    deinit {
        close(descriptor)
        if let directory { try? FileManager.default.removeItem(at: directory) }
        if let file { unlink(file) }
    }

    /// The next queued datagram's bytes, or `nil` when none is waiting.
    func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        guard count >= 0 else { return nil }
        return Array(buffer.prefix(count))
    }

    /// The next queued datagram as UTF-8 text, or `nil` when none is waiting.
    func receiveText() -> String? {
        receive().map { String(decoding: $0, as: UTF8.self) }
    }
}
