import DropsightTestSupport
import FileAccess
import Foundation
import GeminiEmulator
import Imaging
import Logging
import Store

@testable import Dropsight

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A temporary world for end-to-end tests: an in-process emulator on loopback, a watched folder,
/// a state folder and a configuration file pointing at them.
///
/// It is stopped, and its folder removed, when the test case ends however it ends (the `.cleansUp`
/// trait, which the test or its suite must have); a test may stop it earlier itself.
final class Harness: @unchecked Sendable {
    // @unchecked: every property is set in init and never mutated (`stopped` locks itself).
    let root: String
    let inbox: String
    let stateDir: String
    let configPath: String
    let emulator: RunningEmulator
    let apiKey = "test-key-\(UUID().uuidString.prefix(8))"
    private let folder: TemporaryFolder
    private let stopped = OnceFlag()

    init(
        prompts: String = Harness.captionPrompt, folderPrompts: [String] = ["caption"], api: String = "",
        model: String? = "gemini-2.5-flash", emulatorConfig: (inout EmulatorConfiguration) -> Void = { _ in }
    ) async throws {
        Imaging.initialize()
        folder = try TemporaryFolder(prefix: "ds-e2e")
        root = folder.path
        inbox = root + "/inbox"
        stateDir = root + "/state"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        var config = EmulatorConfiguration(logger: Logger(label: "emulator"))
        config.apiKey = apiKey
        config.catalog = .y2025
        emulatorConfig(&config)
        emulator = try await EmulatorServer.start(config: config)
        configPath = root + "/dropsight.toml"
        try await TestCleanups.register { [self] in await stop() }
        let toml = """
            [api]
            base_url = "\(emulator.baseURL.absoluteString)"
            \(model.map { "model = \"\($0)\"" } ?? "")
            \(api)

            [state]
            dir = "\(stateDir)"

            [[folder]]
            path = "\(inbox)"
            prompts = [\(folderPrompts.map { "\"\($0)\"" }.joined(separator: ", "))]
            settle_ms = 200

            \(prompts)
            """
        try toml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    static let captionPrompt = """
        [prompt.caption]
        text = "Write a one-sentence caption for this photo."
        """

    var environment: [String: String] { ["GEMINI_API_KEY": apiKey] }

    func configuration() throws -> Configuration { try ConfigLoader.load(path: configPath, environment: environment) }

    func runtime() throws -> Runtime {
        try Runtime(configuration: configuration(), environment: environment, logger: Logger(label: "dropsight-test"))
    }

    /// Writes a JPEG with a red square on white into `dir` via a hidden temporary and a rename (as a copy tool would).
    @discardableResult
    func dropImage(named name: String, width: Int = 64, height: Int = 48, in dir: String? = nil) throws -> String {
        var img = PixelImage(width: width, height: height, bands: 3, fill: 255)
        img.fillRect(x: width / 4, y: height / 4, width: width / 2, height: height / 2, color: [220, 20, 20])
        let data = try ImageCodec.encodeJPEG(img, quality: 95)
        let folder = dir ?? inbox
        let temp = folder + "/.incoming-" + name
        try data.write(to: URL(fileURLWithPath: temp))
        let final = folder + "/" + name
        rename(temp, final)
        return final
    }

    /// Polls until the sidecar beside `imagePath` (a path in `PathBytes` form: names that are not UTF-8 work)
    /// holds at least `prompts` prompts, or `seconds` pass.
    func waitForSidecar(_ imagePath: String, prompts: Int = 1, seconds: Double = 60) async -> Sidecar? {
        let location = OutputLocation(imagePath: imagePath, folderRoot: PathText.directory(of: imagePath), outputDir: nil)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let sidecar = location.readSidecar(), sidecar.prompts.count >= prompts { return sidecar }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// Polls the state database until no job is pending or running, or `seconds` pass. The sidecar is
    /// written before the job is recorded, so a test that reads the database after a sidecar waits here first.
    func waitUntilRecorded(seconds: Double = 30) async {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let status = try? await Store.openReadOnly(path: stateDir + "/dropsight.sqlite3").status(now: Date()),
                (status.counts[.pending] ?? 0) + (status.counts[.running] ?? 0) == 0
            {
                return
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The emulator's request log.
    func requests() async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: emulator.baseURL.appendingPathComponent("_emulator/requests"))
        let json = try JSONSerialization.jsonObject(with: data)
        if let list = json as? [[String: Any]] { return list }
        return (json as? [String: Any])?["requests"] as? [[String: Any]] ?? []
    }

    func generateRequests() async throws -> [[String: Any]] {
        try await requests().filter { ($0["path"] as? String)?.hasSuffix(":generateContent") == true }
    }

    /// Stops the emulator and removes the folder (once: later calls do nothing). The daemons and processes
    /// started on the harness are stopped before it (they registered their cleanup after it).
    func stop() async {
        guard stopped.claim() else { return }
        await emulator.stop()
        folder.cleanup()
    }
}

/// A notifier that records what the daemon told it.
final class RecordingNotifier: ServiceNotifier, @unchecked Sendable {
    // @unchecked: `events` is only touched under `lock`.
    private let lock = NSLock()
    private var events: [String] = []
    /// `WatchdogSec=` as systemd would set it; nil for no watchdog.
    let watchdogInterval: Duration?
    init(watchdogInterval: Duration? = nil) { self.watchdogInterval = watchdogInterval }
    func ready() { record("READY=1") }
    func reloading() { record("RELOADING=1") }
    func stopping() { record("STOPPING=1") }
    func status(_ text: String) { record("STATUS=" + text) }
    func watchdog() { record("WATCHDOG=1") }
    private func record(_ e: String) {
        lock.lock()
        events.append(e)
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }
    /// How many `WATCHDOG=1` were sent so far.
    var watchdogPings: Int { all.filter { $0 == "WATCHDOG=1" }.count }
}

/// A test precondition that did not hold, with a sentence saying which.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
