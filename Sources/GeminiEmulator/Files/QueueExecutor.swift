import Dispatch

/// A serial executor backed by a private DispatchQueue.
///
/// Actors that do blocking disk I/O or libvips work use it, so those calls never occupy a
/// thread of Swift's cooperative pool (two threads wide on the target machines).
final class QueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { unownedJob.runSynchronously(on: executor) }
    }
}
