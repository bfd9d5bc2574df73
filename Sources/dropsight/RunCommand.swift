import ArgumentParser
import Dropsight
import Foundation
import Logging
import Systemd

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs the daemon in the foreground: watches the configured folders and processes every new image.",
        discussion: """
            At start it opens the database, watches every configured folder and queues every image whose sidecar is \
            missing or out of date (the start-up scan). Then it takes each new or changed image and runs its folder's prompts.

            Signals: SIGHUP re-reads the configuration (folders and prompts are added and dropped without losing queued \
            work; a file with errors is refused, logged, and the running configuration kept). SIGTERM or SIGINT stops: \
            no new work is taken, requests in flight get up to [state] shutdown_grace (20 s) to finish, the rest stay \
            queued for the next start, and the exit status is 0.

            Under systemd (dropsight.service, Type=notify): READY=1 once the database is open, every folder is watched and \
            the start-up scan is queued; STATUS= shows "3 queued, 1 in flight, 1,204 done, 2 failed; 1.2 M tokens today"; \
            RELOADING=1 and READY=1 around a reload; STOPPING=1 at stop; WATCHDOG=1 only while work makes progress or \
            there is nothing to do, so a hung request gets the service restarted after WatchdogSec=. The API key comes \
            from the credential gemini-api-key (LoadCredential=gemini-api-key:/etc/dropsight/api-key), never from the \
            unit's command line or environment. Logs go to the journal with DROPSIGHT_IMAGE, DROPSIGHT_PROMPT and \
            DROPSIGHT_JOB fields when stderr is the journal (journalctl -u dropsight DROPSIGHT_IMAGE=/path/IMG.jpg), \
            as plain lines on stderr otherwise. The key is never logged.

            Exit status: 0 after a clean stop; 1 when the daemon cannot start or stops on an error; 2 for configuration errors. \
            More: man dropsight, docs/systemd.md.
            """)

    @OptionGroup var config: ConfigOption
    @Flag(help: "Log debug messages too.")
    var verbose = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        MallocArenas.bound(environment: environment)
        let configuration = try config.load()
        LogSetup.bootstrap(level: verbose ? .debug : .info, environment: environment)
        let logger = Logger(label: "dropsight")
        if environment["INVOCATION_ID"] != nil, environment["GEMINI_API_KEY"] != nil {
            // systemd started us (it sets INVOCATION_ID) with the key in the unit's environment.
            logger.warning(
                "GEMINI_API_KEY is set in the unit's environment, where `systemctl show` prints it; use LoadCredential=gemini-api-key:/etc/dropsight/api-key instead"
            )
        }
        let runtime: Runtime
        do {
            runtime = try Runtime(configuration: configuration, environment: environment, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw CommandFailure(status: 1, message: "dropsight: cannot start: \(error)")
        }
        let daemon = Daemon(
            runtime: runtime, configPath: config.path, environment: environment,
            notifier: SystemdNotifier(environment: environment))
        do {
            try await daemon.run()
        } catch {
            logger.critical("stopped on an error: \(error)")
            throw CommandFailure(status: 1, message: "dropsight: stopped on an error: \(error)")
        }
    }
}
