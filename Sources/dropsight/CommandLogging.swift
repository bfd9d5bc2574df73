import Foundation
import Logging
import Systemd

/// Logging: to the journal with structured fields when stderr is the journal, else plain lines on stderr.
enum CommandLogging {
    static func bootstrap(level: Logger.Level = .info) -> Logger {
        LogSetup.bootstrap(level: level)
        return Logger(label: "dropsight")
    }
}
