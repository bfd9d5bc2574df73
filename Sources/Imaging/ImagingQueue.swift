import Dispatch

/// Runs blocking image work (libvips, file reads) off Swift's cooperative thread pool.
///
/// Jobs on one queue run one at a time, in order, on a Dispatch thread; make one queue per
/// worker you want running in parallel. A job is not interrupted by task cancellation.
public struct ImagingQueue: Sendable {
    private let queue: DispatchQueue

    public init(label: String = "dropsight.imaging") {
        queue = DispatchQueue(label: label)
    }

    /// Runs `work` on the queue and returns its result (or rethrows its error).
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
