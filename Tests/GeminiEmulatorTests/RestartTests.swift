import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiEmulator

/// Stopping an emulator and starting a new one on the same port and state folder, as a chaos run does.
@Suite(.cleansUp) struct RestartTests {
    @Test func aStoppedEmulatorsPortAndFilesAreReadyForTheNextAtOnce() async throws {
        let first = try await EmulatorHarness.start()
        let port = first.port
        let name = try #require(try await first.uploadFile(Data("kept".utf8), mimeType: "text/plain")["name"]?.stringValue)
        // An idle keep-alive connection the server closes at shutdown leaves its side in TIME_WAIT.
        let idle = try RawConnection(port: port)
        idle.send("GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let health = await offPool { idle.read(until: "true") }
        #expect(health.contains("200 OK"))

        await first.stop(keepState: true)
        let second = try await EmulatorHarness.start(stateDirectory: first.stateDirectory) { $0.port = port }
        let fetched = try await second.send(.get, "/v1beta/\(name)")

        #expect(second.port == port)
        #expect(fetched.status == 200)
        #expect(fetched.json?["name"] == .string(name))
        await second.stop()
    }

    @Test func theCommandStopsOnSIGTERMAndARestartOnTheSamePortKeepsFilesAndTheLogFile() async throws {
        let temporary = try TemporaryFolder(prefix: "emulator-restart")
        defer { temporary.cleanup() }
        let folder = temporary.url
        let state = folder.appendingPathComponent("state").path
        let logFile = folder.appendingPathComponent("requests.jsonl").path

        let first = try await EmulatorProcess.launch(["--port", "0", "--state-dir", state, "--log-file", logFile], in: folder)
        defer { first.killIfRunning() }
        let name = try #require(try await first.uploadFile(Data("kept".utf8), mimeType: "text/plain")["name"]?.stringValue)
        let firstStatus = await first.terminate()
        let second = try await EmulatorProcess.launch(
            ["--port", String(first.port), "--state-dir", state, "--log-file", logFile],
            in: folder)
        defer { second.killIfRunning() }
        let fetched = try await second.send(.get, "/v1beta/\(name)")
        let secondStatus = await second.terminate()

        #expect(firstStatus == 0)
        #expect(secondStatus == 0)
        #expect(second.port == first.port)
        #expect(fetched.status == 200)
        let entries = try String(contentsOfFile: logFile, encoding: .utf8).split(separator: "\n")
            .map { try WireJSONParser.parse(Data($0.utf8)) }
        #expect(entries.map { $0["method"] } == [.string("POST"), .string("POST"), .string("GET")])
        #expect(entries.last?["status"] == .int(200))
    }
}

/// The `gemini-emulator` command as a child process, found next to the test bundle in `.build`.
struct EmulatorProcess: EmulatorClient {
    let process: Process
    let port: Int

    static func launch(_ arguments: [String], in folder: URL) async throws -> EmulatorProcess {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("gemini-emulator")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw HarnessError(message: "\(binary.path) is missing: build it first (swift build --build-tests builds it).")
        }
        let portFile = folder.appendingPathComponent("port-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + ["--port-file", portFile.path, "--key", EmulatorHarness.key, "--log-level", "warning"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<600 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return EmulatorProcess(process: process, port: port)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw HarnessError(message: "gemini-emulator \(arguments.joined(separator: " ")) did not start listening.")
    }

    /// SIGKILL if it still runs: in a `defer`, so that a failing test leaves no emulator process behind.
    func killIfRunning() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Sends SIGTERM and returns the exit status.
    func terminate() async -> Int32 {
        process.terminate()
        let process = self.process
        return await offPool {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}
