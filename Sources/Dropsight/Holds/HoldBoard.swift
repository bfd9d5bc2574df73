import Foundation
import GeminiAPI
import Logging
import Store
import Synchronization

/// The account-level holds in force.
///
/// The job runner places one when an answer is about the account (``GeminiAPI/GeminiError/accountProblem``); the
/// scheduler claims no job of a held scope; ``HoldChecker`` checks each held scope on its ``ProbeSchedule`` and
/// lifts it when the check succeeds; a reload lifts them all. The holds live here, in memory, and are mirrored
/// into the Store so `dropsight status` in another process sees them. The journal gets one line when a hold
/// begins and one when it ends, however many photos meet it.
final class HoldBoard: Sendable {
    private struct State {
        var holds: [AccountProblem.Scope: Hold] = [:]
        /// Scopes a check lifted, with when and after how many failed checks. A scope held again soon after (the
        /// check answers, the requests are still refused) carries on with the longer waits instead of starting over.
        var lifted: [AccountProblem.Scope: (at: Date, failedChecks: Int)] = [:]
    }

    private let state = Mutex(State())
    let store: Store
    let logger: Logger
    /// How long after a check lifted a scope a new hold on it carries on with that hold's waits.
    static let relapseWindow: Duration = .seconds(3600)

    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Every hold in force, the key's first, then the models' by name.
    var all: [Hold] {
        state.withLock { Array($0.holds.values) }.sorted { ($0.problem.model ?? "", $0.since) < ($1.problem.model ?? "", $1.since) }
    }

    /// True while the key is held: no request at all is sent.
    var keyHeld: Bool { state.withLock { $0.holds[.key] != nil } }

    /// True while requests to `model` are held (the model's hold, or the key's).
    func isHeld(model: String) -> Bool {
        state.withLock { $0.holds[.key] != nil || $0.holds[.model(model)] != nil }
    }

    /// The configured prompts whose requests are held, for the scheduler to leave their jobs in the queue.
    func heldPrompts(in config: Configuration) -> [String] {
        config.prompts.values.filter { isHeld(model: $0.effectiveModel(default: config.api.model)) }.map(\.name).sorted()
    }

    /// The holds whose next check is due at `now`.
    func due(at now: Date) -> [Hold] {
        state.withLock { $0.holds.values.filter { $0.nextCheck <= now } }
    }

    /// Holds the problem's scope, unless it is held already; true when this began a new hold.
    @discardableResult
    func place(_ problem: AccountProblem, advice: String, now: Date = Date()) async -> Bool {
        let hold: Hold? = state.withLock { s in
            guard s.holds[problem.scope] == nil else { return nil }
            var failed = 0
            if let last = s.lifted.removeValue(forKey: problem.scope), now < last.at.adding(Self.relapseWindow) {
                failed = last.failedChecks + 1
            }
            let wait = ProbeSchedule.delay(afterFailedChecks: failed)
            let hold = Hold(problem: problem, advice: advice, since: now, failedChecks: failed, nextCheck: now.adding(wait))
            s.holds[problem.scope] = hold
            return hold
        }
        guard let hold else { return false }
        logger.error(
            "\(hold.statusLine). Queued photos wait without spending attempts; checked again in \(Backoff.describe(ProbeSchedule.delay(afterFailedChecks: hold.failedChecks)))"
        )
        await mirror(hold)
        return true
    }

    /// A check found the problem still there: the next one waits twice as long (up to the cap).
    func stillHeld(_ scope: AccountProblem.Scope, now: Date = Date()) async {
        let hold: Hold? = state.withLock { s in
            guard var hold = s.holds[scope] else { return nil }
            hold.failedChecks += 1
            hold.nextCheck = now.adding(ProbeSchedule.delay(afterFailedChecks: hold.failedChecks))
            s.holds[scope] = hold
            return hold
        }
        guard let hold else { return }
        logger.debug(
            "still held (\(hold.advice)); next check in \(Backoff.describe(ProbeSchedule.delay(afterFailedChecks: hold.failedChecks)))")
        await mirror(hold)
    }

    /// A check succeeded (`why` says which): the scope's jobs go ahead.
    func lift(_ scope: AccountProblem.Scope, why: String, now: Date = Date()) async {
        let hold: Hold? = state.withLock { s in
            guard let hold = s.holds.removeValue(forKey: scope) else { return nil }
            s.lifted[scope] = (now, hold.failedChecks)
            return hold
        }
        guard let hold else { return }
        logger.notice("hold lifted: \(why); queued photos go ahead (it was: \(hold.advice))")
        await forget(hold)
    }

    /// A reload (a new key or configuration): every hold ends at once and none carries on its waits.
    func liftAll() async {
        let holds: [Hold] = state.withLock { s in
            defer { s = State() }
            return Array(s.holds.values)
        }
        for hold in holds {
            logger.notice("reload: hold lifted; queued photos go ahead (it was: \(hold.advice))")
            await forget(hold)
        }
    }

    /// Clears holds an earlier daemon left in the Store: this one starts without any.
    func clearRecorded() async {
        do {
            try await store.clearHolds()
        } catch is CancellationError {
            // Stopping after the grace period: the next start clears them before anything reads them as in force.
            logger.debug("recorded holds left for the next start to clear (stopping)")
        } catch {
            logger.error("cannot clear the recorded holds: \(error)")
        }
    }

    private func mirror(_ hold: Hold) async {
        do { try await store.recordHold(hold.record) } catch { logger.error("cannot record the hold: \(error)") }
    }

    private func forget(_ hold: Hold) async {
        do { try await store.clearHold(model: hold.problem.model) } catch { logger.error("cannot clear the hold: \(error)") }
    }
}
