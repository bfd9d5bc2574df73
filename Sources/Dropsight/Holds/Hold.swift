import Foundation
import GeminiAPI
import Store

/// A scope of the account on hold after an account-level answer (the key refused, a model gone, billing): no
/// request of that scope is sent, only a cheap check now and then (``ProbeSchedule``), until a check succeeds or
/// a reload lifts it. Jobs of the scope wait in the queue without spending attempts.
struct Hold: Sendable, Equatable {
    let problem: AccountProblem
    /// What is wrong and how to fix it (``GeminiAPI/GeminiError/accountAdvice``).
    let advice: String
    let since: Date
    /// Checks so far that found the problem still there.
    var failedChecks: Int
    var nextCheck: Date

    /// For STATUS=, the journal and `dropsight status`: "held: the API key was refused (400 API_KEY_INVALID);
    /// fix key_file or the credential, then `systemctl reload dropsight`".
    var statusLine: String { "held: \(advice), then `systemctl reload dropsight`" }

    /// The model the check asks about: the held one, or the configured default for the key.
    func checkModel(default model: String) -> String { problem.model ?? model }

    /// The copy kept in the Store.
    var record: HoldRecord {
        HoldRecord(model: problem.model, reason: statusLine, since: since, nextCheck: nextCheck)
    }
}
