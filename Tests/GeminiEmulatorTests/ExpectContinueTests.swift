import DropsightTestSupport
import Foundation
import Testing

/// `Expect: 100-continue` gets an interim answer before the body is sent (libcurl asks for it).
@Suite(.cleansUp) struct ExpectContinueTests {
    @Test func interimContinueComesBeforeTheBodyIsSent() async throws {
        let emulator = try await EmulatorHarness.start()
        let body = #"{"contents": [{"parts": [{"text": "hi"}]}]}"#
        let connection = try RawConnection(port: emulator.emulator.port)

        connection.send(
            "POST /v1beta/models/gemini-2.0-flash:generateContent HTTP/1.1\r\nHost: 127.0.0.1\r\n"
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
