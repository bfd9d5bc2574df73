import DropsightTestSupport
import Foundation
import GeminiAPI
import HTTPTransport
import Imaging
import Logging
import Synchronization

@testable import Dropsight

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Helpers for the Files API tests: the emulator's admin endpoints, big files, and the real binary.
extension Harness {
    /// POSTs JSON to an admin endpoint such as `_emulator/faults` or `_emulator/clock`.
    func admin(_ path: String, _ body: Any) async throws {
        var request = URLRequest(url: emulator.baseURL.appendingPathComponent(path))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw TestFailure("POST \(path) answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
    }

    /// Moves the emulator's clock forward.
    func advanceEmulatorClock(seconds: Double) async throws {
        try await admin("_emulator/clock", ["advanceSeconds": seconds])
    }

    /// Calls the Files API on the emulator as someone else would (with the key), answering the HTTP status.
    func filesAPI(_ method: String, _ name: String) async throws -> Int {
        var request = URLRequest(url: emulator.baseURL.appendingPathComponent("v1beta/" + name))
        request.httpMethod = method
        request.setValue(apiKey, forHTTPHeaderField: "x-goog-api-key")
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// Requests to the upload endpoint (start and session commands), oldest first.
    func uploadRequests() async throws -> [LoggedUpload] {
        try await requests().filter { ($0["path"] as? String)?.hasPrefix("/upload/") == true }.map(LoggedUpload.init)
    }

    /// A `Runtime` on this harness's configuration, changed by `edit`, optionally over another transport.
    func runtime(edit: (inout Configuration) -> Void, transport: (any HTTPTransport)? = nil) throws -> Runtime {
        var config = try configuration()
        edit(&config)
        return try Runtime(configuration: config, environment: environment, logger: Logger(label: "dropsight-test"), transport: transport)
    }
}

/// One upload request from the emulator's log.
struct LoggedUpload: CustomStringConvertible {
    var command: String
    var offset: Int64?
    var status: Int
    var bytes: Int64
    var headerNames: Set<String>

    init(_ entry: [String: Any]) {
        command = entry["command"] as? String ?? ""
        offset = (entry["offset"] as? NSNumber)?.int64Value
        status = (entry["status"] as? NSNumber)?.intValue ?? 0
        bytes = (entry["bytes"] as? NSNumber)?.int64Value ?? 0
        headerNames = Set((entry["headers"] as? [String: Any] ?? [:]).keys)
    }

    var isChunk: Bool { command.contains("upload") || command == "finalize" }
    var description: String { "\(command)@\(offset.map(String.init) ?? "-") → \(status) (\(bytes) B)" }
}

/// Big test files, written in 1 MiB blocks.
enum BigFile {
    /// `size` bytes starting with a JPEG signature (so the content reads as image/jpeg), the rest pseudo-random
    /// and different for every `seed`.
    static func write(_ path: String, size: Int64, seed: UInt64 = 1) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var written: Int64 = 0
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while written < size {
            let n = Int(min(Int64(block.count), size - written))
            block.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for i in 0..<words.count {
                    state ^= state << 13
                    state ^= state >> 7
                    state ^= state << 17
                    words[i] = state
                }
            }
            if written == 0 { block.replaceSubrange(0..<4, with: [0xFF, 0xD8, 0xFF, 0xE0]) }
            try handle.write(contentsOf: block[0..<n])
            written += Int64(n)
        }
    }
}

/// A clock the tests move, shared by the emulator (via its admin endpoint) and our FileCache.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    /// Moves both our clock and the emulator's, as real time passing would.
    func advance(_ seconds: TimeInterval, emulator h: Harness) async throws {
        offset.withLock { $0 += seconds }
        try await h.advanceEmulatorClock(seconds: seconds)
    }
}

/// A transport that tampers with the final upload answer's `sha256Hash`, as a corrupted upload would look.
struct HashTamperingTransport: HTTPTransport {
    let inner: any HTTPTransport

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var response = try await inner.send(request)
        guard response.header("X-Goog-Upload-Status") == "final",
            var json = try JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            var file = json["file"] as? [String: Any]
        else { return response }
        file["sha256Hash"] = Data(String(repeating: "0", count: 64).utf8).base64EncodedString()
        json["file"] = file
        response.body = try JSONSerialization.data(withJSONObject: json)
        return response
    }
}

/// The `dropsight` executable built beside the test bundle, run as a user would.
struct DropsightBinary {
    let path: String

    init() throws {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = dir.appendingPathComponent("dropsight").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw TestFailure("no dropsight executable at \(candidate): build it with `swift build` first")
        }
        path = candidate
    }

    /// A started process; its stdout and stderr go to files.
    final class Running: @unchecked Sendable {
        // @unchecked: `process` is only read after start; Process itself is thread-safe for these calls.
        let process: Process
        let stdoutPath: String
        let stderrPath: String

        init(process: Process, stdoutPath: String, stderrPath: String) {
            self.process = process
            self.stdoutPath = stdoutPath
            self.stderrPath = stderrPath
        }

        var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// SIGKILL and a wait for the end, if it still runs (so that a failed test leaves no process).
        func killIfRunning() async {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            _ = await wait()
        }

        /// Waits for the exit without blocking the cooperative pool; answers the status.
        func wait() async -> Int32 {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    self.process.waitUntilExit()
                    continuation.resume(returning: self.process.terminationStatus)
                }
            }
        }
    }

    /// Starts `dropsight ARGUMENTS --config <harness config>` with the harness's key, or what `environment` sets instead.
    func start(_ arguments: [String], harness h: Harness, environment: [String: String] = [:]) async throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments + ["--config", h.configPath]
        var env = ProcessInfo.processInfo.environment
        env["GEMINI_API_KEY"] = h.apiKey
        process.environment = env.merging(environment) { $1 }
        let id = UUID().uuidString.prefix(8)
        let out = h.root + "/stdout-\(id).txt"
        let err = h.root + "/stderr-\(id).txt"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        let running = Running(process: process, stdoutPath: out, stderrPath: err)
        try await TestCleanups.register { await running.killIfRunning() }
        return running
    }

    /// Runs to the end: exit status, stdout, stderr.
    func run(
        _ arguments: [String], harness h: Harness, environment: [String: String] = [:]
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let running = try await start(arguments, harness: h, environment: environment)
        let status = await running.wait()
        return (status, running.stdout, running.stderr)
    }
}
