import CCurl
import Synchronization

/// The queue of requests and cancellations waiting for the loop thread, guarded by a lock.
///
/// Every change wakes the loop with `curl_multi_wakeup`. After `close()` nothing more is accepted
/// and the multi handle is never touched again from here, so the loop may clean it up.
final class CurlInbox: Sendable {
    /// A request handed to the loop, with the continuation its caller waits on.
    struct Submission: Sendable {
        let id: UInt64
        let request: HTTPRequest
        let continuation: CheckedContinuation<HTTPResponse, any Error>
    }

    /// Everything that arrived since the loop last looked.
    struct Batch: Sendable {
        var submissions: [Submission] = []
        var cancellations: [UInt64] = []
        var isClosed = false
    }

    private let pending = Mutex(Batch())
    private let lastID = Atomic<UInt64>(0)
    private let multi: MultiHandle

    init(multi: MultiHandle) {
        self.multi = multi
    }

    /// A request number unique within this transport, never 0.
    func makeID() -> UInt64 {
        lastID.add(1, ordering: .relaxed).newValue
    }

    /// Queues `submission`; false when the transport was already shut down.
    func submit(_ submission: Submission) -> Bool {
        pending.withLock { batch in
            guard !batch.isClosed else { return false }
            batch.submissions.append(submission)
            _ = curl_multi_wakeup(multi.pointer)
            return true
        }
    }

    /// Asks the loop to abandon request `id` (ignored if it has already finished).
    func cancel(_ id: UInt64) {
        pending.withLock { batch in
            guard !batch.isClosed else { return }
            batch.cancellations.append(id)
            _ = curl_multi_wakeup(multi.pointer)
        }
    }

    /// Asks the loop to fail every request and stop.
    func close() {
        pending.withLock { batch in
            guard !batch.isClosed else { return }
            batch.isClosed = true
            _ = curl_multi_wakeup(multi.pointer)
        }
    }

    /// Takes everything queued so far; called by the loop thread.
    func take() -> Batch {
        pending.withLock { batch in
            let taken = batch
            batch.submissions.removeAll()
            batch.cancellations.removeAll()
            return taken
        }
    }
}

/// The curl multi handle, shared between the loop thread and the inbox.
///
/// `@unchecked Sendable` is safe because only the loop thread drives the handle; other threads only
/// call `curl_multi_wakeup`, which libcurl allows from any thread, and only before `close()`.
struct MultiHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
