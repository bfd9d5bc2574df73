import Foundation
import GeminiAPI
import Logging
import Testing

@testable import Dropsight
@testable import Store

/// When a held scope is checked again.
@Suite struct ProbeScheduleTests {
    @Test func aMinuteThenTwiceAsLongUpToHalfAnHour() {
        let minutes = (0..<8).map { ProbeSchedule.delay(afterFailedChecks: $0) / .seconds(60) }
        #expect(minutes == [1, 2, 4, 8, 16, 30, 30, 30])
        #expect(ProbeSchedule.delay(afterFailedChecks: 1000) == .seconds(1800), "no overflow however long it lasts")
    }
}

/// The hold board: one hold per scope, its check schedule, its lifting, and its copy in the Store.
@Suite struct HoldBoardTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let key = AccountProblem(kind: .keyRefused, scope: .key)
    let model = AccountProblem(kind: .modelUnavailable, scope: .model("gemini-0"))

    func withBoard(_ body: (HoldBoard, Store) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ds-holds-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try await Store.open(path: dir + "/dropsight.sqlite3")
        try await body(HoldBoard(store: store, logger: Logger(label: "holds-test")), store)
    }

    @Test func theFirstAnswerHoldsTheScopeAndTheOthersAddNothing() async throws {
        try await withBoard { board, store in
            #expect(await board.place(key, advice: "the API key was refused (400 API_KEY_INVALID)", now: t0))
            #expect(await !board.place(key, advice: "the API key was refused (400 API_KEY_INVALID)", now: t0))
            #expect(board.keyHeld && board.isHeld(model: "any-model"))
            let recorded = try await store.status(now: t0).holds
            #expect(recorded.count == 1 && recorded[0].model == nil)
            #expect(recorded[0].reason.hasPrefix("held: the API key was refused (400 API_KEY_INVALID), then `systemctl reload dropsight`"))
            #expect(recorded[0].nextCheck == t0.addingTimeInterval(60))
        }
    }

    @Test func aHeldModelHoldsOnlyThatModel() async throws {
        try await withBoard { board, _ in
            await board.place(model, advice: "model gemini-0 is not found (404 NOT_FOUND)", now: t0)
            #expect(!board.keyHeld)
            #expect(board.isHeld(model: "gemini-0") && !board.isHeld(model: "gemini-3.5-flash-lite"))
        }
    }

    @Test func eachFailedCheckDoublesTheWait() async throws {
        try await withBoard { board, store in
            await board.place(key, advice: "k", now: t0)
            #expect(board.due(at: t0.addingTimeInterval(59)).isEmpty)
            #expect(board.due(at: t0.addingTimeInterval(60)).count == 1)
            let checked = t0.addingTimeInterval(60)
            await board.stillHeld(.key, now: checked)
            #expect(board.all.first?.nextCheck == checked.addingTimeInterval(120))
            let recorded = try await store.status(now: checked).holds
            #expect(recorded.first?.nextCheck == checked.addingTimeInterval(120))
        }
    }

    @Test func aSuccessfulCheckLiftsTheHoldAndClearsTheStore() async throws {
        try await withBoard { board, store in
            await board.place(model, advice: "m", now: t0)
            await board.lift(.model("gemini-0"), why: "models.get gemini-0 answers again", now: t0.addingTimeInterval(60))
            #expect(!board.isHeld(model: "gemini-0"))
            let recorded = try await store.status(now: t0).holds
            #expect(recorded.isEmpty)
        }
    }

    /// The check answers but requests are still refused (a model listed yet closed to new users): the new hold
    /// waits longer instead of starting over at a minute.
    @Test func aScopeHeldAgainSoonAfterItsLiftCarriesOnWithLongerWaits() async throws {
        try await withBoard { board, _ in
            await board.place(model, advice: "m", now: t0)
            let lifted = t0.addingTimeInterval(60)
            await board.lift(.model("gemini-0"), why: "check", now: lifted)
            await board.place(model, advice: "m", now: lifted.addingTimeInterval(5))
            #expect(board.all.first?.nextCheck == lifted.addingTimeInterval(5 + 120))
        }
    }

    @Test func aReloadLiftsEveryHoldAndForgetsTheirWaits() async throws {
        try await withBoard { board, store in
            await board.place(key, advice: "k", now: t0)
            await board.place(model, advice: "m", now: t0)
            #expect(board.all.map(\.problem) == [key, model], "the key's hold first")
            await board.liftAll()
            #expect(board.all.isEmpty && !board.keyHeld)
            let recorded = try await store.status(now: t0).holds
            #expect(recorded.isEmpty)
            await board.place(model, advice: "m", now: t0)
            #expect(board.all.first?.nextCheck == t0.addingTimeInterval(60))
        }
    }
}

/// The one line that says what is wrong and how to fix it.
@Suite struct AccountAdviceTests {
    @Test func theLinesSayWhatIsWrongAndWhatToDo() {
        var key = GeminiError(
            code: .http, httpStatus: 400, status: "INVALID_ARGUMENT", message: "API key not valid. Please pass a valid API key.")
        key.reason = "API_KEY_INVALID"
        #expect(key.accountAdvice == "the API key was refused (400 API_KEY_INVALID); fix key_file or the credential")
        let gone = GeminiError(
            code: .http, httpStatus: 404, status: "NOT_FOUND",
            message: "This model models/gemini-2.5-flash is no longer available to new users. Please update your code.",
            model: "gemini-2.5-flash")
        #expect(
            gone.accountAdvice == "model gemini-2.5-flash is closed to new users (404 NOT_FOUND); choose another model in the configuration"
        )
        #expect(GeminiError(code: .http, httpStatus: 503, status: "UNAVAILABLE", message: "overloaded").accountAdvice == nil)
    }

    @Test func theStatusLineLeadsWithTheHolds() {
        let status = StoreStatus(
            counts: [.pending: 3, .running: 0, .done: 1, .failed: 0], oldestPending: nil, recentFailures: [], tokensToday: 10,
            tokensTotal: 10, uploadsAlive: 0, uploadBytesAlive: 0, pausedUntil: nil, pauseReason: nil, holds: [])
        let line = StatusReporter.line(status, inFlight: 0, pauseReason: nil, holds: ["held: a", "held: b"])
        #expect(line == "held: a; held: b; 3 queued, 0 in flight, 1 done, 0 failed; 10 tokens today")
    }
}
