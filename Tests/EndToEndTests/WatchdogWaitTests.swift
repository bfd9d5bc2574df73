import DropsightTestSupport
import Foundation
import Testing

@testable import Dropsight

/// The watchdog tells waiting on purpose (healthy) from a request stuck on the wire (restart).
@Suite(.serialized, .cleansUp) struct WatchdogWaitTests {
    /// With `requests_per_minute = 1`, the second of two images waits about a minute for its slot; meanwhile
    /// nothing finishes, yet the watchdog keeps being pinged, so systemd would not restart the service.
    @Test func waitingForARateLimitSlotKeepsThePingsGoing() async throws {
        let h = try await Harness(api: "requests_per_minute = 1")
        let notifier = RecordingNotifier(watchdogInterval: .seconds(1))
        let daemon = try await RunningDaemon.start(h, notifier: notifier)
        let first = try h.dropImage(named: "first.jpg")
        let second = try h.dropImage(named: "second.jpg", width: 80)
        let oneDone = await eventually(60) { h.sidecar(of: first) != nil || h.sidecar(of: second) != nil }
        let before = notifier.watchdogPings
        // Before the fix the progress of the first job and of the intake gave at most two more pings.
        let fed = await eventually(30) { notifier.watchdogPings >= before + 5 }
        let sent = try await h.generateRequests().count
        let stillWaiting = h.sidecar(of: first) == nil || h.sidecar(of: second) == nil
        await daemon.stop()

        #expect(oneDone, "no image was processed")
        #expect(fed, "only \(notifier.watchdogPings - before) ping(s) while the second image waited for its slot")
        #expect(sent == 1 && stillWaiting, "the pings must come while the second request waits (\(sent) sent)")
    }

    /// A request the server never answers stops the pings, even while another job waits for its slot.
    @Test func aHungRequestStopsThePingsWhileAnotherJobWaits() async throws {
        let h = try await Harness(api: "requests_per_minute = 1")
        // Long enough to outlast the checks below; the harness's stop waits for it, so no longer than that.
        try await h.admin("_emulator/faults", [["route": "generateContent", "action": "delay", "delayMs": 25_000, "count": 10]])
        let notifier = RecordingNotifier(watchdogInterval: .seconds(1))
        let daemon = try await RunningDaemon.start(h, notifier: notifier)
        try h.dropImage(named: "first.jpg")
        try h.dropImage(named: "second.jpg", width: 80)
        // Both claimed: one on the wire, held by the emulator; the other asleep until the next minute's slot.
        let bothInFlight = await eventually(60) { notifier.all.contains { $0.hasPrefix("STATUS=0 queued, 2 in flight") } }
        // Give the gate a few ticks to see the intake's last progress, then watch a few more ticks.
        try await Task.sleep(for: .seconds(2))
        let before = notifier.watchdogPings
        try await Task.sleep(for: .seconds(3))
        let after = notifier.watchdogPings
        let answered = try await h.answeredRequests().count
        await daemon.stop()

        #expect(bothInFlight, "the two jobs were never in flight together: \(notifier.all)")
        #expect(answered == 0)
        #expect(after == before, "\(after - before) ping(s) while a request hung")
    }
}
