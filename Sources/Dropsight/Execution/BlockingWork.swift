import Dispatch
import Foundation

/// Runs blocking work (libvips, hashing, file writes) off Swift's cooperative pool, at most
/// ``width`` bodies at a time.
///
/// The bound is the number of CPU cores (at least 2): image work cannot go faster than the cores
/// allow, and every image decoded at once costs tens of megabytes, so eight requests in flight no
/// longer mean eight decodes in memory. Callers beyond the bound wait without holding a thread.
public enum BlockingWork {
    private static let queue = DispatchQueue(label: "dropsight.blocking", qos: .utility, attributes: .concurrent)
    public static let width = max(2, ProcessInfo.processInfo.activeProcessorCount)
    private static let gate = AsyncGate(width: width)

    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        await gate.enter()
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { try body() }) }
        }
        await gate.leave()
        return try result.get()
    }

    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await gate.enter()
        let result = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
        await gate.leave()
        return result
    }
}
