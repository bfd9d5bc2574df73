/// How long batches stay PENDING, then RUNNING, on the emulator clock (`--batch-pending-seconds`,
/// `--batch-running-seconds`, `POST /_emulator/batches`). A batch also stays RUNNING until its
/// results are computed.
struct BatchTiming: Sendable, Equatable {
    var pendingSeconds: Double
    var runningSeconds: Double

    /// Pending or running this long, a batch is EXPIRED without results (the service's 48 hours).
    static let expirySeconds: Double = 48 * 3600
}
