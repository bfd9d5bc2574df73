import Synchronization

/// A one-slot doorbell: `ring()` wakes the task in `wait(timeout:)`, or the next one if none is waiting.
/// `ring()` is synchronous, so signal handlers and shutdown callbacks can use it.
public final class Wakeup: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    public init() {}

    public func ring() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter { s.waiter = nil; return w }
            s.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns when rung, when `timeout` passes, or at once if it was rung meanwhile.
    public func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.waitForRing() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.rung || Task.isCancelled { s.rung = false; return true }
                    s.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }
    }
}

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
