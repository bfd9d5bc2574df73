import Testing

@testable import Systemd

@Suite("WatchdogGate pings only for a healthy pipeline")
struct WatchdogGateTests {
    /// The gate's answers for consecutive ticks, starting from a fresh gate.
    func pings(_ ticks: [(progress: UInt64, hasWork: Bool)]) -> [Bool] {
        var gate = WatchdogGate()
        return ticks.map { gate.shouldPing(PipelineSnapshot(progress: $0.progress, hasWork: $0.hasWork)) }
    }

    @Test("an idle pipeline keeps pinging")
    func idlePings() {
        #expect(pings([(0, false), (0, false), (0, false)]) == [true, true, true])
    }

    @Test("work without progress stops the pings until progress resumes")
    func stuckWorkerStopsPings() {
        #expect(pings([(5, true), (5, true), (5, true), (6, true), (6, true)]) == [true, false, false, true, false])
    }

    @Test("a pipeline that drained its queue pings again")
    func drainedPings() {
        #expect(pings([(1, true), (1, true), (1, false)]) == [true, false, true])
    }

    @Test("a fresh gate pings once even with work, so a restarted service gets one period to show progress")
    func firstTickPings() {
        #expect(pings([(7, true), (7, true)]) == [true, false])
    }
}
