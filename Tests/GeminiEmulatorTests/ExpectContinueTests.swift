import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `Expect: 100-continue` gets an interim answer before the body is sent (libcurl asks for it).
@Suite struct ExpectContinueTests {
    /// A blocking loopback TCP connection with a 30 s receive timeout.
    final class RawConnection: @unchecked Sendable {
        // @unchecked: the descriptor is used by one test at a time, one call after another.
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else { throw HarnessError(message: "connect failed: errno \(errno)") }
        }

        deinit { close(fd) }

        func send(_ text: String) {
            _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, 0) }
        }

        /// Reads until `marker` has arrived or the peer stops sending.
        func read(until marker: String) -> String {
            var received = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: received, as: UTF8.self).contains(marker) {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { break }
                received.append(contentsOf: buffer[0..<n])
            }
            return String(decoding: received, as: UTF8.self)
        }
    }

    @Test func interimContinueComesBeforeTheBodyIsSent() async throws {
        let emulator = try await EmulatorHarness.start()
        let body = #"{"contents": [{"parts": [{"text": "hi"}]}]}"#
        let connection = try RawConnection(port: emulator.emulator.port)

        connection.send("POST /v1beta/models/gemini-2.0-flash:generateContent HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "x-goog-api-key: \(EmulatorHarness.key)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n")
        // Blocking reads run on a Dispatch thread: the emulator's handlers need the cooperative pool.
        let interim = await offPool { connection.read(until: "\r\n\r\n") }
        connection.send(body)
        let final = await offPool { connection.read(until: "\"responseId\"") }

        #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"))
        #expect(final.contains("HTTP/1.1 200 OK"))
        await emulator.stop()
    }
}

/// Runs blocking socket work off Swift's cooperative pool.
private func offPool(_ body: @escaping @Sendable () -> String) async -> String {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: body()) }
    }
}
