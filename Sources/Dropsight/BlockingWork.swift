import Dispatch

/// Runs blocking work (file hashing, libvips, directory scans) on Dispatch threads, never on Swift's
/// cooperative pool, which is only as wide as the machine's cores.
public enum BlockingWork {
    private static let queue = DispatchQueue(label: "dropsight.blocking", qos: .utility, attributes: .concurrent)

    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
