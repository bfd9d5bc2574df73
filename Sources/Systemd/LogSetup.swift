import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Chooses where the process logs and installs that handler once.
public enum LogSetup {
    /// Where log events go.
    public enum Destination: Sendable, Equatable {
        /// Structured entries through `sd_journal_sendv`.
        case journal
        /// Plain lines on standard error.
        case standardError
    }

    /// The secrets every handler installed by ``bootstrap(level:environment:)`` removes from its output.
    public static let secrets = SecretRegistry()

    private static let chosen = Mutex<Destination?>(nil)

    /// Registers a secret (the API key) to be replaced by `[REDACTED]` in every log line from now on.
    public static func registerSecret(_ secret: String) {
        secrets.register(secret)
    }

    /// The journal when `JOURNAL_STREAM` names standard error's file, plain lines otherwise.
    public static func destination(environment: [String: String] = ProcessInfo.processInfo.environment) -> Destination {
        JournalStream.matches(environment["JOURNAL_STREAM"], fileDescriptor: STDERR_FILENO) ? .journal : .standardError
    }

    /// Bootstraps swift-log with the handler for ``destination(environment:)`` at `level`.
    ///
    /// `LoggingSystem.bootstrap` may run only once per process: later calls change nothing and
    /// return the destination chosen first.
    @discardableResult
    public static func bootstrap(
        level: Logger.Level,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Destination {
        chosen.withLock { chosen in
            if let chosen { return chosen }
            let destination = destination(environment: environment)
            LoggingSystem.bootstrap { label in
                var handler: any LogHandler =
                    switch destination {
                    case .journal: JournalLogHandler(label: label, secrets: secrets)
                    case .standardError: PlainLogHandler(label: label, secrets: secrets)
                    }
                handler.logLevel = level
                return handler
            }
            chosen = destination
            return destination
        }
    }
}
