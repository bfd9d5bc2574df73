import Foundation
import Hummingbird
import Imaging
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Why the emulator could not start.
public struct EmulatorStartError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Starts the Gemini emulator, in-process (tests) or as the `gemini-emulator` command.
public enum EmulatorServer {
    /// The `/_emulator/` admin endpoints with a line about each, for help texts.
    public static var adminEndpoints: [(String, String)] { AdminHandler.endpoints }

    /// Starts a server in the background and returns once it listens.
    ///
    /// With `port` 0 the system picks a free port; `RunningEmulator.baseURL` carries the real one.
    public static func start(config: EmulatorConfiguration) async throws -> RunningEmulator {
        let parts = try makeParts(config: config)
        let ready = ReadySignal()
        let app = makeApplication(parts, config: config) { url in ready.succeed(url) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: config.logger))
        let task = Task {
            do {
                try await group.run()
                ready.fail(EmulatorStartError(message: "The emulator stopped before it was listening."))
            } catch {
                ready.fail(EmulatorStartError(message: "Cannot start the emulator on \(config.host):\(config.port): \(error)"))
            }
        }
        do {
            let url = try await ready.wait()
            return RunningEmulator(
                baseURL: url, stateDirectory: parts.root, group: group, task: task, batches: parts.services.batches,
                cleanup: parts.cleanup)
        } catch {
            task.cancel()
            _ = await task.result
            parts.cleanup()
            throw error
        }
    }

    /// Runs a server until SIGINT or SIGTERM; `onReady` gets the base URL once it listens.
    public static func run(config: EmulatorConfiguration, onReady: @escaping @Sendable (URL) async -> Void) async throws {
        let parts = try makeParts(config: config)
        defer { parts.cleanup() }
        let app = makeApplication(parts, config: config) { url in await onReady(url) }
        try await app.runService()
    }

    private struct Parts: Sendable {
        let services: EmulatorServices
        let root: URL
        let temporaryDirectory: URL?
        let logFile: RequestFileLog?

        /// Closes the request log file and removes a temporary state folder.
        func cleanup() {
            logFile?.close()
            if let temporaryDirectory { try? FileManager.default.removeItem(at: temporaryDirectory) }
        }
    }

    private static func makeParts(config: EmulatorConfiguration) throws -> Parts {
        if let maximum = config.latencyMaxMilliseconds, maximum < config.latencyMilliseconds {
            throw EmulatorStartError(
                message: "The largest latency (\(maximum) ms) is below the smallest (\(config.latencyMilliseconds) ms).")
        }
        Imaging.initialize()
        var temporary: URL?
        let root: URL
        if let directory = config.stateDirectory {
            root = directory
        } else {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("gemini-emulator-\(UUID().uuidString)")
            temporary = root
        }
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw EmulatorStartError(message: "Cannot create the state directory \(root.path): \(error.localizedDescription)")
        }
        let clock = EmulatorClock(stateFile: root.appendingPathComponent("clock.json"))
        let files = try FileStore(
            root: root, clock: clock,
            limits: .init(
                maxFileBytes: config.maxFileBytes, maxProjectBytes: config.maxProjectBytes,
                processingSeconds: config.processingSeconds),
            logger: config.logger
        )
        let faults = FaultScript(defaultSeed: config.seed)
        if let script = config.faultScriptFile {
            guard let data = FileManager.default.contents(atPath: script.path) else {
                throw EmulatorStartError(message: "Cannot read the fault script \(script.path).")
            }
            faults.install(try FaultScript.parse(data))
        }
        let replies = try config.repliesFile.map { try CannedReplies(contentsOf: $0) } ?? CannedReplies()
        let logFile = try config.requestLogFile.map { url throws(EmulatorStartError) in try RequestFileLog(path: url.path) }
        let services = EmulatorServices(
            configuration: config, models: ModelCatalog(config), clock: clock, files: files,
            batches: BatchStore(
                clock: clock, files: files,
                timing: BatchTiming(pendingSeconds: config.batchPendingSeconds, runningSeconds: config.batchRunningSeconds)),
            log: RequestLog(file: logFile),
            quotas: QuotaLedger(
                limits: .init(
                    requestsPerMinute: config.requestsPerMinute,
                    tokensPerMinute: config.tokensPerMinute,
                    requestsPerDay: config.requestsPerDay)),
            faults: faults,
            latency: Latency(minimum: config.latencyMilliseconds, maximum: config.latencyMaxMilliseconds, seed: config.seed),
            worker: ImageWorker(), replies: replies, address: BoundAddress()
        )
        return Parts(services: services, root: root, temporaryDirectory: temporary, logFile: logFile)
    }

    private static func makeApplication(
        _ parts: Parts, config: EmulatorConfiguration, onRunning: @escaping @Sendable (URL) async -> Void
    ) -> some ApplicationProtocol {
        let services = parts.services
        return Application(
            responder: EmulatorResponder(services: services),
            server: .http1(configuration: .init(additionalChannelHandlers: [ContinueHandler()])),
            // SO_REUSEADDR: a restart binds the same port at once, though old connections sit in TIME_WAIT.
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                let host = config.host.contains(":") ? "[\(config.host)]" : config.host
                services.address.authority = "\(host):\(port)"
                await onRunning(URL(string: "http://\(host):\(port)")!)
            },
            logger: config.logger
        )
    }
}

/// A started emulator: where it listens and how to stop it.
public final class RunningEmulator: Sendable {
    /// `http://host:port` with the port really bound.
    public let baseURL: URL
    /// Where files (`files/<id>.bin`, `.json`), upload sessions and the clock are kept.
    public let stateDirectory: URL
    private let group: ServiceGroup
    private let task: Task<Void, Never>
    private let batches: BatchStore
    private let cleanup: @Sendable () -> Void

    init(
        baseURL: URL, stateDirectory: URL, group: ServiceGroup, task: Task<Void, Never>, batches: BatchStore,
        cleanup: @escaping @Sendable () -> Void
    ) {
        self.baseURL = baseURL
        self.stateDirectory = stateDirectory
        self.group = group
        self.task = task
        self.batches = batches
        self.cleanup = cleanup
    }

    /// The bound port.
    public var port: Int { baseURL.port ?? 0 }

    /// Stops listening (graceful shutdown), waits for the server and the batches still being computed
    /// to finish, removes a temporary state folder.
    public func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
        await batches.stopRunners()
        cleanup()
    }
}

/// One-shot hand-over of the bound URL (or the start failure) to `start`.
private final class ReadySignal: Sendable {
    private enum State {
        case waiting(CheckedContinuation<URL, any Error>?)
        case done(Result<URL, any Error>)
    }

    private let state = Mutex<State>(.waiting(nil))

    func succeed(_ url: URL) { finish(.success(url)) }
    func fail(_ error: any Error) { finish(.failure(error)) }

    private func finish(_ result: Result<URL, any Error>) {
        let continuation: CheckedContinuation<URL, any Error>? = state.withLock { state in
            guard case .waiting(let waiter) = state else { return nil }
            state = .done(result)
            return waiter
        }
        continuation?.resume(with: result)
    }

    func wait() async throws -> URL {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<URL, any Error>? = state.withLock { state in
                switch state {
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
