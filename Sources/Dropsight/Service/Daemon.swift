import Foundation
import GeminiAPI
import Logging
import ServiceLifecycle
import Store
import UnixSignals
import Watcher

/// The long-running daemon: intake (watcher → queue), scheduler (queue → API → sidecars), reload on
/// SIGHUP, checks of account-level holds, status and watchdog for systemd, graceful stop on SIGTERM/SIGINT.
public struct Daemon: Sendable {
    public let runtime: Runtime
    public let configPath: String
    public let environment: [String: String]
    public let notifier: any ServiceNotifier
    /// Handed the folder watcher as soon as it exists, so tests can drive its `_pauseReading` hook.
    var watcherStarted: (@Sendable (FolderWatcher) -> Void)?

    public init(runtime: Runtime, configPath: String, environment: [String: String], notifier: any ServiceNotifier) {
        self.runtime = runtime
        self.configPath = configPath
        self.environment = environment
        self.notifier = notifier
    }

    public func run() async throws {
        let logger = runtime.logger
        let config = runtime.configuration
        let settings = SettingsHolder(config)
        let store = runtime.store
        let wakeup = Wakeup()
        let progress = ProgressCounter()
        let publisher = SidecarPublisher(store: store, limits: config.images, logger: logger)
        let limiter = RateLimiter(requestsPerMinute: config.api.requestsPerMinute, tokensPerMinute: config.api.tokensPerMinute)
        let holds = HoldBoard(store: store, logger: logger)

        for warning in config.modelWarnings { logger.warning("\(warning)") }
        let watcher = try FolderWatcher(
            specs: Self.watchSpecs(config),
            skip: { path in
                OutputNames.isOwnOutput(path, promptNames: Set(settings.current.prompts.keys))
            }, logger: logger)
        watcherStarted?(watcher)
        let jobs = JobRunner(
            settings: settings, store: store, runtime: runtime, limiter: limiter, publisher: publisher,
            subjects: SubjectCache(), logger: logger, progress: progress, holds: holds)
        let scheduler = Scheduler(
            settings: settings, store: store, jobs: jobs, limiter: limiter, publisher: publisher,
            wakeup: wakeup, holds: holds, logger: logger)
        let batches = BatchService(settings: settings, store: store, runtime: runtime, jobs: jobs, holds: holds, logger: logger)
        let notifier = self.notifier
        let intake = Intake(
            settings: settings, store: store, watcher: watcher, publisher: publisher, wakeup: wakeup,
            logger: logger, progress: progress,
            onReady: {
                notifier.ready()
                logger.info("ready: watching \(config.folders.count) folder(s)")
            })
        let reloader = Reloader(
            configPath: configPath, environment: environment, settings: settings, watcher: watcher,
            intake: intake, client: runtime.client, holds: holds, wakeup: wakeup, notifier: notifier, logger: logger)
        let checker = HoldChecker(holds: holds, settings: settings, client: runtime.client, wakeup: wakeup)
        let status = StatusReporter(
            store: store, scheduler: scheduler, limiter: limiter, holds: holds, progress: progress,
            notifier: notifier, logger: logger)
        // A graceful shutdown stops the services in reverse order, one after the other: STOPPING=1 goes
        // out first, then reloads end, the watcher's events are no longer taken, and last the scheduler
        // claims nothing new and gives requests in flight up to `shutdown_grace`. A service that ends
        // on its own (a dead watcher ends Intake) makes run() throw, so systemd sees a failure.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: scheduler),
                    .init(service: batches),
                    .init(service: intake),
                    .init(service: reloader),
                    .init(service: checker),
                    .init(service: status),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        defer { watcher.stop() }
        try await group.run()
        logger.info("stopped")
    }

    static func watchSpecs(_ config: Configuration) -> [WatchSpec] {
        config.folders.map { WatchSpec(path: $0.path, settle: .milliseconds($0.settleMs), ignoreGlobs: $0.ignore) }
    }
}
