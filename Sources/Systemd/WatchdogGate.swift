/// What the pipeline looks like at one watchdog tick.
public struct PipelineSnapshot: Sendable, Equatable {
    /// A counter that grows with every step forward: a file taken in, a job finished.
    public var progress: UInt64
    /// Whether there is work the pipeline should be doing right now (queued and due, or in flight).
    ///
    /// Leave out work that waits on purpose (for a rate-limit slot, a quota pause, a retry back-off): waiting is
    /// not being stuck.
    public var hasWork: Bool

    public init(progress: UInt64, hasWork: Bool) {
        self.progress = progress
        self.hasWork = hasWork
    }
}

/// Decides whether a watchdog tick may send `WATCHDOG=1`.
///
/// A ping goes out only while the pipeline either moved forward since the last ping or has nothing to
/// do. A stuck worker therefore stops the pings, and systemd restarts the service after `WatchdogSec=`.
/// Call ``shouldPing(_:)`` at most every half watchdog interval: one step of work (a request) may then
/// stay silent for about `WatchdogSec=` before systemd steps in.
public struct WatchdogGate: Sendable {
    private var progressAtLastPing: UInt64?

    public init() {}

    /// Whether to ping now; remembers `snapshot.progress` when the answer is yes.
    public mutating func shouldPing(_ snapshot: PipelineSnapshot) -> Bool {
        let moved = progressAtLastPing.map { snapshot.progress != $0 } ?? true
        guard moved || !snapshot.hasWork else { return false }
        progressAtLastPing = snapshot.progress
        return true
    }
}
