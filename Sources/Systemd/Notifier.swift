import Foundation
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Tells the service manager about start-up, reloads, shutdown and liveness (the `sd_notify` protocol).
///
/// Reads `NOTIFY_SOCKET` itself and sends each message as one datagram on a fresh `AF_UNIX`
/// `SOCK_DGRAM` socket, like `sd_notify(3)`. Every method does nothing when `NOTIFY_SOCKET` is unset,
/// so the daemon runs the same way outside systemd. The socket is non-blocking: a full receive
/// queue at the service manager fails with `EAGAIN` instead of stalling a cooperative thread.
public struct Notifier: Sendable {
    /// The raw `NOTIFY_SOCKET` value, or `nil` when not running under a service manager that wants notifications.
    public let socket: String?
    /// How long systemd waits for a `WATCHDOG=1` before it restarts the service; `nil` when no watchdog is set.
    ///
    /// From `WATCHDOG_USEC`, ignored when `WATCHDOG_PID` names another process. Ping at half this interval.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let socket = environment["NOTIFY_SOCKET"]
        self.socket = (socket?.isEmpty ?? true) ? nil : socket
        self.watchdogInterval = Self.watchdogInterval(
            microseconds: environment["WATCHDOG_USEC"], pid: environment["WATCHDOG_PID"], ownPID: getpid())
    }

    /// How often to send ``watchdog()``: half of ``watchdogInterval``, as `sd_watchdog_enabled(3)` advises.
    public var watchdogPingInterval: Duration? {
        watchdogInterval.map { $0 / 2 }
    }

    /// Whether messages go anywhere (`NOTIFY_SOCKET` is set).
    public var isEnabled: Bool { socket != nil }

    /// `READY=1`: start-up (or a reload) has finished.
    public func ready() throws(SystemdError) {
        try send(["READY=1"])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC`: a reload has begun; follow with ``ready()`` when done.
    ///
    /// `MONOTONIC_USEC` is `clock_gettime(CLOCK_MONOTONIC)` in microseconds, which systemd 253 and later
    /// require for `Type=notify-reload`.
    public func reloading() throws(SystemdError) {
        try send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"])
    }

    /// `STOPPING=1`: shutdown has begun.
    public func stopping() throws(SystemdError) {
        try send(["STOPPING=1"])
    }

    /// `STATUS=`: the one-line text `systemctl status` shows. Line breaks become spaces.
    public func status(_ text: String) throws(SystemdError) {
        let line = String(text.map { $0.isNewline || $0 == "\0" ? " " : $0 })
        try send(["STATUS=" + line])
    }

    /// `WATCHDOG=1`: the service is alive and well.
    public func watchdog() throws(SystemdError) {
        try send(["WATCHDOG=1"])
    }

    /// Sends `assignments` joined by newlines as one datagram.
    private func send(_ assignments: [String]) throws(SystemdError) {
        guard let socket else { return }
        let address = try NotifySocketAddress(socket)
        let message = Array(assignments.joined(separator: "\n").utf8)
        let descriptor: FileDescriptor
        do throws(Errno) {
            descriptor = FileDescriptor(
                rawValue: try Self.valueOrErrno {
                    Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                })
        } catch {
            throw SystemdError(
                code: .socketFailed, errno: error, context: socket,
                hint: "the process may be out of file descriptors")
        }
        defer { try? descriptor.close() }
        try address.withSocketAddress { (socketAddress, length) throws(SystemdError) in
            let sent: Int
            do throws(Errno) {
                sent = try Self.valueOrErrno {
                    message.withUnsafeBytes { bytes in
                        sendto(descriptor.rawValue, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                    }
                }
            } catch {
                throw SystemdError(
                    code: .sendFailed, errno: error, context: socket,
                    hint: "check that the service manager is running and that NotifyAccess= allows this process")
            }
            if sent != message.count {
                throw SystemdError(
                    code: .sendFailed, errno: nil, context: socket,
                    hint: "only \(sent) of \(message.count) bytes were sent")
            }
        }
    }

    /// Runs `call` (a socket call swift-system does not wrap) until it does not fail with `EINTR`; `-1` throws `errno`.
    private static func valueOrErrno<Value: FixedWidthInteger>(_ call: () -> Value) throws(Errno) -> Value {
        while true {
            let result = call()
            if result != -1 { return result }
            let code = Errno(rawValue: Glibc.errno)
            if code != .interrupted { throw code }
        }
    }

    /// `WATCHDOG_USEC` as a duration, when it is a positive number and `WATCHDOG_PID` (if present) is `ownPID`.
    static func watchdogInterval(microseconds: String?, pid: String?, ownPID: pid_t) -> Duration? {
        guard let microseconds, let value = Int64(microseconds), value > 0 else { return nil }
        if let pid, pid_t(pid) != ownPID { return nil }
        return .microseconds(value)
    }

    /// `CLOCK_MONOTONIC` now, in microseconds.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
