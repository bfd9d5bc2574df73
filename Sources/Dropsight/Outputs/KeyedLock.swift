import Foundation

/// Serialises work per key (one image's sidecar at a time) across suspension points.
public actor KeyedLock {
    private var held: Set<String> = []
    private var queues: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    public func withLock<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    private func acquire(_ key: String) async {
        if held.insert(key).inserted { return }
        await withCheckedContinuation { queues[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        if var q = queues[key], !q.isEmpty {
            let next = q.removeFirst()
            queues[key] = q.isEmpty ? nil : q
            next.resume()
        } else {
            held.remove(key)
        }
    }
}
