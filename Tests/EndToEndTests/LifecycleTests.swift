import DropsightTestSupport
import Foundation
import InMemoryLogging
import Logging
import ServiceLifecycle
import Store
import Testing

@testable import Dropsight

/// The daemon's life as systemd sees it: READY=1 after the start-up scan, STATUS=, STOPPING=1 and a
/// graceful stop that lets requests finish within `shutdown_grace` and keeps the rest queued.
@Suite(.serialized, .cleansUp) struct LifecycleTests {
    /// Start-up: a complete image already in the folder is queued before READY=1; then its result shows in STATUS=.
    @Test func readyFollowsTheStartUpScanAndStatusStaysCurrent() async throws {
        let h = try await Harness()
        let image = try h.dropImage(named: "before start.jpg")
        // Written a minute ago: a scan takes it as complete (a newer file waits for a quiet time first).
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: image)
        let log = InMemoryLogHandler(level: .info)
        let notifier = LifecycleNotifier(log: log)
        let daemon = Daemon(
            runtime: try h.runtime(logger: log.logger()), configPath: h.configPath,
            environment: h.environment, notifier: notifier)
        let stopper = try await DaemonStopper.start(daemon)

        let linesAtReady = try #require(await notifier.waitForReady())
        #expect(linesAtReady.contains { $0.hasPrefix("start-up scan of \(h.inbox): 1 file(s), 1 job(s) queued") })
        #expect(await h.waitForSidecar(image) != nil)
        let status = await notifier.waitForEvent { $0.hasPrefix("STATUS=0 queued, 0 in flight, 1 done, 0 failed;") }
        #expect(status != nil, "events: \(notifier.events)")
        #expect(!notifier.events.contains("STOPPING=1"))

        try await stopper.stopGracefully()
        #expect(notifier.events.last(where: { !$0.hasPrefix("WATCHDOG") }) == "STATUS=stopping")
        #expect(notifier.events.contains("STOPPING=1"))
        await h.stop()
    }

    /// A daily-quota pause shows in STATUS=, and the watchdog keeps being fed while the jobs wait out the
    /// pause (in the rate limiter or back in the queue): waiting on purpose is not being stuck.
    @Test func aQuotaPauseShowsInStatusAndKeepsTheWatchdogFed() async throws {
        // A daily quota of one request: the first photo uses it, the next answer pauses everything. (A quota
        // of 0 would be a model without a free tier: a hold, not a pause.)
        let h = try await Harness { $0.requestsPerDay = 1 }
        try h.setStateOption("shutdown_grace = \"1s\"")
        let log = InMemoryLogHandler(level: .info)
        let notifier = LifecycleNotifier(log: log)
        let daemon = Daemon(
            runtime: try h.runtime(logger: log.logger()), configPath: h.configPath,
            environment: h.environment, notifier: notifier)
        let stopper = try await DaemonStopper.start(daemon)
        _ = await notifier.waitForReady()
        #expect(await h.waitForSidecar(try h.dropImage(named: "first.jpg"))?.prompts["caption"]?.status == .ok)
        try h.dropImage(named: "second.jpg")
        try h.dropImage(named: "third.jpg")

        // Whether the third job waits in flight or back in the queue depends on timing; both are paused.
        let paused = await notifier.waitForEvent {
            $0.hasPrefix("STATUS=paused: daily quota reached, until ") && $0.contains(" 1 done, 0 failed;")
        }
        #expect(paused != nil, "events: \(notifier.events)")
        let pauseShown = notifier.events.firstIndex { $0.hasPrefix("STATUS=paused: daily quota") } ?? 0
        // Three more pings after the pause began: the gate did not take the held-back job for a stuck one.
        let fed = await notifier.waitForEvent(after: pauseShown) { events in events.filter { $0 == "WATCHDOG=1" }.count >= 3 }
        #expect(fed, "events: \(notifier.events)")

        try await stopper.stopGracefully()
        await h.stop()
    }

    /// A request in flight when the stop begins finishes within the grace period and its sidecar is written.
    @Test func stopLetsARequestInFlightFinish() async throws {
        let h = try await Harness { $0.latencyMilliseconds = 1500 }
        let log = InMemoryLogHandler(level: .info)
        let notifier = LifecycleNotifier(log: log)
        let daemon = Daemon(
            runtime: try h.runtime(logger: log.logger()), configPath: h.configPath,
            environment: h.environment, notifier: notifier)
        let stopper = try await DaemonStopper.start(daemon)
        _ = await notifier.waitForReady()
        let image = try h.dropImage(named: "in flight.jpg")
        #expect(await notifier.waitForEvent { $0.contains(", 1 in flight,") } != nil)

        try await stopper.stopGracefully()
        #expect(notifier.events.contains("STOPPING=1"))
        let data = try #require(FileManager.default.contents(atPath: image + OutputNames.sidecarSuffix))
        let sidecar = try JSONDecoder().decode(Sidecar.self, from: data)
        #expect(sidecar.prompts["caption"]?.status == .ok)
        await h.stop()
    }

    /// A request that outlives `shutdown_grace` is cancelled; the stop still ends and the job stays queued.
    @Test func stopCancelsAHungRequestAfterTheGraceAndKeepsTheJob() async throws {
        // Longer than the grace, short enough for the emulator's own stop to wait it out.
        let h = try await Harness { $0.latencyMilliseconds = 5000 }
        try h.setStateOption("shutdown_grace = \"1s\"")
        let log = InMemoryLogHandler(level: .info)
        let notifier = LifecycleNotifier(log: log)
        let runtime = try h.runtime(logger: log.logger())
        let daemon = Daemon(runtime: runtime, configPath: h.configPath, environment: h.environment, notifier: notifier)
        let stopper = try await DaemonStopper.start(daemon)
        _ = await notifier.waitForReady()
        try h.dropImage(named: "hung.jpg")
        #expect(await notifier.waitForEvent { $0.contains(", 1 in flight,") } != nil)

        try await stopper.stopGracefully()
        #expect(log.messages.contains { $0.hasPrefix("stopping: cancelling 1 request(s) still in flight") })
        let counts = try await runtime.store.status(now: Date()).counts
        #expect((counts[.pending] ?? 0) + (counts[.running] ?? 0) == 1, "counts: \(counts)")
        #expect((counts[.failed] ?? 0) == 0)
        #expect(!FileManager.default.fileExists(atPath: h.inbox + "/hung.jpg" + OutputNames.sidecarSuffix))
        await h.stop()
    }
}

/// Runs a daemon inside a ServiceGroup without signal handlers, so a test can stop it the way
/// SIGTERM does (a graceful shutdown reaches the daemon's own group through the task-local manager).
struct DaemonStopper {
    private struct DaemonService: Service {
        let daemon: Daemon
        func run() async throws { try await daemon.run() }
    }

    let group: ServiceGroup
    let running: Task<Void, any Error>

    /// Starts the group; when the test case ends it is cancelled if the test did not stop it (a failed test
    /// leaves no daemon running).
    static func start(_ daemon: Daemon) async throws -> DaemonStopper {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: DaemonService(daemon: daemon))],
                logger: Logger(label: "lifecycle-test")))
        let running = Task { try await group.run() }
        try await TestCleanups.register {
            running.cancel()
            _ = try? await running.value
        }
        return DaemonStopper(group: group, running: running)
    }

    /// Triggers the graceful shutdown and returns when the daemon's run() has returned without an error.
    func stopGracefully() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
    }
}

/// Records the daemon's notifications; READY=1 also takes a copy of the log lines written so far.
final class LifecycleNotifier: ServiceNotifier, @unchecked Sendable {
    // @unchecked: the mutable state is only touched under `lock`.
    private let lock = NSLock()
    private var recorded: [String] = []
    private var linesAtReady: [String]?
    private let log: InMemoryLogHandler

    init(log: InMemoryLogHandler) { self.log = log }

    /// A short watchdog period makes the status reporter tick every half second.
    var watchdogInterval: Duration? { .seconds(1) }
    func ready() {
        let lines = log.messages
        lock.withLock {
            recorded.append("READY=1")
            if linesAtReady == nil { linesAtReady = lines }
        }
    }
    func reloading() { record("RELOADING=1") }
    func stopping() { record("STOPPING=1") }
    func status(_ text: String) { record("STATUS=" + text) }
    func watchdog() { record("WATCHDOG=1") }
    private func record(_ event: String) { lock.withLock { recorded.append(event) } }

    var events: [String] { lock.withLock { recorded } }

    /// The log lines as they were at the first READY=1, once it came (nil after 30 s without).
    func waitForReady() async -> [String]? {
        for _ in 0..<600 {
            if let lines = lock.withLock({ linesAtReady }) { return lines }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Whether the events after index `start` came to satisfy `match` within 30 s.
    func waitForEvent(after start: Int, _ match: ([String]) -> Bool) async -> Bool {
        for _ in 0..<600 {
            if match(Array(events.dropFirst(start + 1))) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The first event matching `match`, waiting up to 30 s for it.
    func waitForEvent(_ match: (String) -> Bool) async -> String? {
        for _ in 0..<600 {
            if let event = events.first(where: match) { return event }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}

extension Harness {
    /// A runtime that logs to `logger`.
    func runtime(logger: Logger) throws -> Runtime {
        try Runtime(configuration: configuration(), environment: environment, logger: logger)
    }

    /// Adds `line` to the configuration's `[state]` table.
    func setStateOption(_ line: String) throws {
        let toml = try String(contentsOfFile: configPath, encoding: .utf8)
        let marker = "dir = \"\(stateDir)\""
        try toml.replacingOccurrences(of: marker, with: marker + "\n" + line).write(toFile: configPath, atomically: true, encoding: .utf8)
    }
}
