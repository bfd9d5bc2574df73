import Foundation
import GeminiAPI
import Logging
import ServiceLifecycle
import UnixSignals
import Store
import Watcher

/// The long-running daemon: intake (watcher → queue), scheduler (queue → API → sidecars), reload on
/// SIGHUP, status and watchdog for systemd, graceful stop on SIGTERM/SIGINT.
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
        let publisher = SidecarPublisher(store: store, maxPixels: config.images.maxPixels, logger: logger)
        let limiter = RateLimiter(requestsPerMinute: config.api.requestsPerMinute, tokensPerMinute: config.api.tokensPerMinute)
        for folder in config.folders { SafeOutput(directory: folder.path).removeStaleTemporaries() }

        let watcher = try FolderWatcher(specs: Self.watchSpecs(config), skip: { path in
            isOwnOutput(path, promptNames: Set(settings.current.prompts.keys))
        }, logger: logger)
        watcherStarted?(watcher)
        let jobs = JobRunner(settings: settings, store: store, runtime: runtime, limiter: limiter, publisher: publisher,
                             subjects: SubjectCache(), logger: logger, progress: progress)
        let scheduler = Scheduler(settings: settings, store: store, jobs: jobs, wakeup: wakeup, logger: logger)
        let notifier = self.notifier
        let intake = Intake(settings: settings, store: store, watcher: watcher, publisher: publisher, wakeup: wakeup,
                            logger: logger, progress: progress, onReady: {
            notifier.ready()
            logger.info("ready: watching \(config.folders.count) folder(s)")
        })
        let reloader = Reloader(configPath: configPath, environment: environment, settings: settings, watcher: watcher,
                                intake: intake, notifier: notifier, logger: logger)
        let status = StatusReporter(store: store, scheduler: scheduler, limiter: limiter, progress: progress,
                                    notifier: notifier, logger: logger)
        // A graceful shutdown stops the services in reverse order, one after the other: STOPPING=1 goes
        // out first, then reloads end, the watcher's events are no longer taken, and last the scheduler
        // claims nothing new and gives requests in flight up to `shutdown_grace`. A service that ends
        // on its own (a dead watcher ends Intake) makes run() throw, so systemd sees a failure.
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: scheduler),
                .init(service: intake),
                .init(service: reloader),
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

/// What the daemon tells its supervisor. The systemd implementation sends sd_notify datagrams;
/// outside systemd every call does nothing.
public protocol ServiceNotifier: Sendable {
    func ready()
    func reloading()
    func stopping()
    func status(_ text: String)
    func watchdog()
    /// The watchdog period systemd asked for (`WatchdogSec=`), if any.
    var watchdogInterval: Duration? { get }
}

/// Re-reads the configuration on SIGHUP; a bad file is refused and the old configuration kept.
final class Reloader: Service, Sendable {
    let configPath: String
    let environment: [String: String]
    let settings: SettingsHolder
    let watcher: FolderWatcher
    let intake: Intake
    let notifier: any ServiceNotifier
    let logger: Logger

    init(configPath: String, environment: [String: String], settings: SettingsHolder, watcher: FolderWatcher, intake: Intake,
         notifier: any ServiceNotifier, logger: Logger) {
        self.configPath = configPath
        self.environment = environment
        self.settings = settings
        self.watcher = watcher
        self.intake = intake
        self.notifier = notifier
        self.logger = logger
    }

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            notifier.reloading()
            do {
                let new = try ConfigLoader.load(path: configPath, environment: environment)
                let old = settings.current
                if new.api.baseURL != old.api.baseURL || new.api.keyFile != old.api.keyFile || new.state.dir != old.state.dir {
                    logger.warning("reload: [api] base_url, key_file and [state] dir take effect only after a restart")
                }
                settings.replace(with: new)
                watcher.update(specs: Daemon.watchSpecs(new))
                logger.info("reloaded \(configPath): \(new.folders.count) folder(s), \(new.prompts.count) prompt(s)")
                await dropUnconfigured(old: old, new: new)
                for folder in new.folders { await intake.reconcile(folder: folder.path, reason: "reload scan") }
            } catch {
                logger.error("reload refused, keeping the running configuration: \(error)")
            }
            notifier.ready()
        }
    }

    /// Pending jobs of folders no longer watched, and of prompts no folder runs any more, leave the queue.
    /// Finished results stay, so the same definition configured again is not run again.
    private func dropUnconfigured(old: Configuration, new: Configuration) async {
        let store = intake.store
        var dropped = 0
        for folder in old.folders where !new.folders.contains(where: { $0.path == folder.path }) {
            dropped += (try? await store.drop(imagePath: folder.path)) ?? 0
        }
        dropped += (try? await store.dropPending(promptsNotIn: Set(new.folders.flatMap(\.prompts)).sorted())) ?? 0
        if dropped > 0 { logger.notice("reload: \(dropped) queued job(s) of removed folders or prompts dropped") }
    }
}
