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
        Under systemd (Type=notify) it reports READY=1 once the database is open, every folder is watched and the \
        start-up scan is queued; keeps STATUS= current; pings the watchdog while work progresses; reloads the \
        configuration on SIGHUP (a bad file is refused and the running one kept); and stops cleanly on SIGTERM.
        Logs go to the journal with DROPSIGHT_IMAGE / DROPSIGHT_PROMPT / DROPSIGHT_JOB fields when stderr is the journal.
        """)

    @OptionGroup var config: ConfigOption
    @Flag(help: "Log debug messages too.")
    var verbose = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try config.load()
        LogSetup.bootstrap(level: verbose ? .debug : .info, environment: environment)
        let logger = Logger(label: "dropsight")
        let runtime: Runtime
        do {
            runtime = try Runtime(configuration: configuration, environment: environment, logger: logger)
        } catch {
            logger.critical("cannot start: \(error)")
            throw CommandFailure(status: 1, message: "dropsight: cannot start: \(error)")
        }
        let daemon = Daemon(runtime: runtime, configPath: config.path, environment: environment,
                            notifier: SystemdNotifier(environment: environment))
        try await daemon.run()
    }
}
