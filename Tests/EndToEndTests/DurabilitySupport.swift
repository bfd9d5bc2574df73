import DropsightTestSupport
import Foundation
import Imaging
import InMemoryLogging
import Logging
import Synchronization
import Testing
import Watcher

@testable import Dropsight

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The durability tests, one at a time: they share two cores and several of them load the machine.
@Suite(.serialized, .cleansUp) struct DurabilityTests {}

/// A daemon running in this process on a harness's configuration, until ``stop()`` (at the latest when
/// the test case ends).
final class RunningDaemon: Sendable {
    let task: Task<Void, any Error>
    let notifier: RecordingNotifier
    /// What the daemon logged at info and above; `logs.contains(_:)` looks for text in `<level> <message>` lines.
    let logs: InMemoryLogHandler
    private let box: WatcherBox
    private let stopped = OnceFlag()

    /// The daemon's folder watcher (for its test hooks).
    var watcher: FolderWatcher? { box.watcher }

    private init(task: Task<Void, any Error>, notifier: RecordingNotifier, logs: InMemoryLogHandler, box: WatcherBox) {
        self.task = task
        self.notifier = notifier
        self.logs = logs
        self.box = box
    }

    /// Starts the daemon and returns once it reported READY (its start-up scan is queued).
    static func start(_ h: Harness, notifier: RecordingNotifier = RecordingNotifier()) async throws -> RunningDaemon {
        let logs = InMemoryLogHandler(level: .info)
        let runtime = try Runtime(
            configuration: h.configuration(), environment: h.environment,
            logger: logs.logger(label: "dropsight-test"))
        var daemon = Daemon(runtime: runtime, configPath: h.configPath, environment: h.environment, notifier: notifier)
        let box = WatcherBox()
        daemon.watcherStarted = { box.set($0) }
        let task = Task { [daemon] in try await daemon.run() }
        let running = RunningDaemon(task: task, notifier: notifier, logs: logs, box: box)
        try await TestCleanups.register { await running.stop() }
        let deadline = Date().addingTimeInterval(60)
        while !notifier.all.contains("READY=1") {
            if Date() > deadline { throw TestFailure("the daemon did not report READY within 60 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return running
    }

    /// Stops the daemon and waits for its end (once; later calls do nothing).
    func stop() async {
        guard stopped.claim() else { return }
        task.cancel()
        _ = try? await task.value
        watcher?.stop()
    }
}

final class WatcherBox: Sendable {
    private let value = Mutex<FolderWatcher?>(nil)
    func set(_ watcher: FolderWatcher) { value.withLock { $0 = watcher } }
    var watcher: FolderWatcher? { value.withLock { $0 } }
}

extension Harness {
    /// One `[[folder]]` of a configuration written by ``writeConfig(folders:prompts:api:)``.
    struct Folder {
        var path: String
        var prompts: [String]
        var extra: String = ""
    }

    /// Replaces the configuration file: the harness's emulator and state folder, these folders and prompts.
    func writeConfig(folders: [Folder], prompts: String, api: String = "", model: String = "gemini-2.5-flash") throws {
        var toml = """
            [api]
            base_url = "\(emulator.baseURL.absoluteString)"
            model = "\(model)"
            \(api)

            [state]
            dir = "\(stateDir)"

            """
        for f in folders {
            toml += """

                [[folder]]
                path = "\(f.path)"
                prompts = [\(f.prompts.map { "\"\($0)\"" }.joined(separator: ", "))]
                settle_ms = 200
                \(f.extra)

                """
        }
        toml += "\n" + prompts + "\n"
        try toml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// A caption prompt and a detection prompt.
    static let twoPrompts = """
        [prompt.caption]
        text = "Write a one-sentence caption for this photo."

        [prompt.boxes]
        kind = "detect"
        """

    /// A JPEG of `width` x `height`: white with a red square in the middle.
    static func jpeg(width: Int = 64, height: Int = 48) throws -> Data {
        var img = PixelImage(width: width, height: height, bands: 3, fill: 255)
        img.fillRect(x: width / 4, y: height / 4, width: width / 2, height: height / 2, color: [220, 20, 20])
        return try ImageCodec.encodeJPEG(img, quality: 90)
    }

    /// Makes a folder (and its parents).
    @discardableResult
    func folder(_ name: String) throws -> String {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The sidecar beside `imagePath`, if there is a readable one.
    func sidecar(of imagePath: String) -> Sidecar? {
        sidecar(at: imagePath + OutputNames.sidecarSuffix)
    }

    func sidecar(at path: String) -> Sidecar? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Sidecar.self, from: data)
    }

    /// POSTs JSON to an admin endpoint of the emulator (`faults`, `limits`, `reset`).
    func admin(_ endpoint: String, _ json: String) async throws {
        var request = URLRequest(url: emulator.baseURL.appendingPathComponent("_emulator/" + endpoint))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw TestFailure("emulator \(endpoint) refused \(json)") }
    }

    /// Answered generateContent requests (status 200).
    func answeredRequests() async throws -> [[String: Any]] {
        try await generateRequests().filter { ($0["status"] as? Int) == 200 }
    }
}

/// Polls `condition` until it holds or `seconds` pass, longer on a busy machine (``poll(upTo:_:)``).
func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async -> Bool {
    await poll(upTo: seconds, condition)
}

/// Sidecars in `dir` whose every prompt is finished (ok or error) for `prompts` prompts.
func completeSidecars(in dir: String, prompts: Int) -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    var count = 0
    for name in names where name.hasSuffix(OutputNames.sidecarSuffix) {
        guard let data = FileManager.default.contents(atPath: dir + "/" + name),
            let sidecar = try? JSONDecoder().decode(Sidecar.self, from: data)
        else { continue }
        if sidecar.prompts.count >= prompts { count += 1 }
    }
    return count
}

/// The real `dropsight` binary of this build, run as a separate process.
final class DaemonProcess: @unchecked Sendable {
    // @unchecked: the Process is only driven by the test that owns it.
    let process = Process()

    static var binary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/dropsight").path
    }

    static var binaryExists: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Starts `dropsight run --config <harness config>`, its output appended to `log`; `environment` (the
    /// harness's key by default) is all it gets besides `PATH` and `HOME`.
    init(_ h: Harness, log: String, environment: [String: String]? = nil) async throws {
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        output.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["run", "--config", h.configPath]
        process.environment = (environment ?? h.environment).merging(["PATH": "/usr/bin:/bin", "HOME": h.root]) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Killed when the test case ends if the test did not stop it (before the harness, registered earlier).
        try await TestCleanups.register { [self] in await killIfRunning() }
    }

    /// SIGKILL and a wait for the end, if it still runs (so that a failed test leaves no daemon).
    func killIfRunning() async {
        guard process.isRunning else { return }
        signal(SIGKILL)
        _ = await exit(within: 10)
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end; returns its exit status, or nil if it is still running after `seconds`.
    func exit(within seconds: Double) async -> Int32? {
        let ended = await eventually(seconds) { !self.process.isRunning }
        return ended ? process.terminationStatus : nil
    }

    /// Runs a `dropsight` command to its end and returns its exit status and standard output.
    static func command(_ arguments: [String], _ h: Harness) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments + ["--config", h.configPath]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": h.root]
        let out = h.root + "/command-\(UUID().uuidString).out"
        FileManager.default.createFile(atPath: out, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = FileHandle.standardError
        try process.run()
        guard await eventually(60, { !process.isRunning }) else {
            process.terminate()
            throw TestFailure("dropsight \(arguments.joined(separator: " ")) did not finish")
        }
        return (process.terminationStatus, try String(contentsOfFile: out, encoding: .utf8))
    }

    /// `dropsight status --json`, decoded.
    static func status(_ h: Harness) async throws -> [String: Any] {
        let (status, output) = try await command(["status", "--json"], h)
        guard status == 0, let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw TestFailure("dropsight status --json failed (\(status)): \(output)")
        }
        return json
    }
}
