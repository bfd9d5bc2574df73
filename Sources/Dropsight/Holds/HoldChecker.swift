import Foundation
import GeminiAPI
import Logging
import ServiceLifecycle

/// Checks each held scope when its ``ProbeSchedule`` says so, with `models.get` on the held model (or, for the
/// key, on the default model): the cheapest request that needs a valid key. A check that succeeds lifts the hold
/// and wakes the scheduler; one that meets the same problem makes the next wait twice as long.
final class HoldChecker: Service, Sendable {
    let holds: HoldBoard
    let settings: SettingsHolder
    let client: GeminiClient
    let wakeup: Wakeup
    /// How often the board is looked at for a due check (the checks themselves are a minute apart at least).
    static let tick: Duration = .seconds(1)

    init(holds: HoldBoard, settings: SettingsHolder, client: GeminiClient, wakeup: Wakeup) {
        self.holds = holds
        self.settings = settings
        self.client = client
        self.wakeup = wakeup
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                for hold in self.holds.due(at: Date()) { await self.check(hold) }
                try? await Task.sleep(for: Self.tick)
            }
        }
    }

    private func check(_ hold: Hold) async {
        let scope = hold.problem.scope
        let model = hold.checkModel(default: settings.current.api.model)
        do {
            _ = try await client.getModel(model)
            await holds.lift(scope, why: "models.get \(model) answers again")
            wakeup.ring()
        } catch {
            guard let found = error.accountProblem, found.scope != scope, found.kind != .dailyQuota,
                let advice = error.accountAdvice
            else {
                await holds.stillHeld(scope)
                return
            }
            // Another scope answered. A model refused means the key was accepted; a refused key says nothing of a model.
            await holds.place(found, advice: advice)
            if scope == .key {
                await holds.lift(scope, why: "the key is accepted again")
                wakeup.ring()
            } else {
                await holds.stillHeld(scope)
            }
        }
    }
}
