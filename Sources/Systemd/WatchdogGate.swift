/// What the pipeline looks like at one watchdog tick.
public struct PipelineSnapshot: Sendable, Equatable {
    /// A counter that grows with every step forward: a request started or answered, bytes uploaded, a job finished.
    public var progress: UInt64
    /// Whether there is work the pipeline should be doing right now (queued or in flight).
    ///
    /// Leave out work that waits on purpose (a quota pause, a retry back-off): waiting is not being stuck.
    public var hasWork: Bool
    /// Whether the folder watcher is still reading events.
    public var watcherAlive: Bool

    public init(progress: UInt64, hasWork: Bool, watcherAlive: Bool) {
        self.progress = progress
        self.hasWork = hasWork
        self.watcherAlive = watcherAlive
    }
}

/// Decides whether a watchdog tick may send `WATCHDOG=1`.
///
/// A ping goes out only while the watcher is alive and the pipeline either moved forward since the last
/// ping or has nothing to do. A stuck worker or a dead watcher therefore stops the pings, and systemd
/// restarts the service after `WatchdogSec=`. Call ``shouldPing(_:)`` at half the watchdog interval;
/// a request must then not stay silent (no progress step) for longer than that interval.
public struct WatchdogGate: Sendable {
    private var progressAtLastPing: UInt64?

    public init() {}

    /// Whether to ping now; remembers `snapshot.progress` when the answer is yes.
    public mutating func shouldPing(_ snapshot: PipelineSnapshot) -> Bool {
        guard snapshot.watcherAlive else { return false }
        let moved = progressAtLastPing.map { snapshot.progress != $0 } ?? true
        guard moved || !snapshot.hasWork else { return false }
        progressAtLastPing = snapshot.progress
        return true
    }
}
