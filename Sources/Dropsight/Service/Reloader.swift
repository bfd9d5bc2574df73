import Foundation
import GeminiAPI
import Logging
import ServiceLifecycle
import Systemd
import UnixSignals
import Watcher

/// Re-reads the configuration and the API key on SIGHUP and lifts every account-level hold; a bad file, or a
/// key that cannot be read, is refused and the old configuration and key kept.
///
/// The key comes from where ``APIKey/resolve(keyFile:environment:)`` finds it: `GEMINI_API_KEY` is fixed for the
/// process, the credential `$CREDENTIALS_DIRECTORY/gemini-api-key` and `key_file` are read again.
final class Reloader: Service, Sendable {
    let configPath: String
    let environment: [String: String]
    let settings: SettingsHolder
    let watcher: FolderWatcher
    let intake: Intake
    let client: GeminiClient
    let holds: HoldBoard
    let wakeup: Wakeup
    let notifier: any ServiceNotifier
    let logger: Logger

    init(
        configPath: String, environment: [String: String], settings: SettingsHolder, watcher: FolderWatcher, intake: Intake,
        client: GeminiClient, holds: HoldBoard, wakeup: Wakeup, notifier: any ServiceNotifier, logger: Logger
    ) {
        self.configPath = configPath
        self.environment = environment
        self.settings = settings
        self.watcher = watcher
        self.intake = intake
        self.client = client
        self.holds = holds
        self.wakeup = wakeup
        self.notifier = notifier
        self.logger = logger
    }

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            notifier.reloading()
            do {
                let new = try ConfigLoader.load(path: configPath, environment: environment)
                let (key, source) = try APIKey.resolve(keyFile: new.api.keyFile, environment: environment)
                let old = settings.current
                if new.api.baseURL != old.api.baseURL || new.state.dir != old.state.dir {
                    logger.warning("reload: [api] base_url and [state] dir take effect only after a restart")
                }
                LogSetup.registerSecret(key)
                if client.replaceAPIKey(with: key) { logger.notice("reload: a new API key from \(source.rawValue)") }
                settings.replace(with: new)
                await holds.liftAll()
                wakeup.ring()
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
