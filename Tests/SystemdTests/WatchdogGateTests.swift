import Testing
@testable import Systemd

@Suite("WatchdogGate pings only for a healthy pipeline")
struct WatchdogGateTests {
    /// The gate's answers for consecutive ticks, starting from a fresh gate.
    func pings(_ ticks: [(progress: UInt64, hasWork: Bool, watcherAlive: Bool)]) -> [Bool] {
        var gate = WatchdogGate()
        return ticks.map {
            gate.shouldPing(PipelineSnapshot(progress: $0.progress, hasWork: $0.hasWork, watcherAlive: $0.watcherAlive))
        }
    }

    @Test("an idle pipeline with a live watcher keeps pinging")
    func idlePings() {
        #expect(pings([(0, false, true), (0, false, true), (0, false, true)]) == [true, true, true])
    }

    @Test("work without progress stops the pings until progress resumes")
    func stuckWorkerStopsPings() {
        #expect(pings([(5, true, true), (5, true, true), (5, true, true), (6, true, true), (6, true, true)])
            == [true, false, false, true, false])
    }

    @Test("a pipeline that drained its queue pings again")
    func drainedPings() {
        #expect(pings([(1, true, true), (1, true, true), (1, false, true)]) == [true, false, true])
    }

    @Test("a dead watcher stops the pings even while work progresses")
    func deadWatcherStopsPings() {
        #expect(pings([(1, false, false), (2, true, false), (3, false, false)]) == [false, false, false])
    }

    @Test("progress seen by a refused tick still counts as new at the next live tick")
    func refusedTickDoesNotConsumeProgress() {
        #expect(pings([(1, true, true), (2, true, false), (2, true, true)]) == [true, false, true])
    }
}
