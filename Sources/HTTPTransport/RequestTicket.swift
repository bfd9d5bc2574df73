import Synchronization

/// Orders one request's hand-over to the loop and its cancellation, whichever comes first.
///
/// A task can be cancelled before its request reaches the inbox; the ticket makes sure such a
/// request is never queued, and that a cancellation is only queued after its request.
final class RequestTicket: Sendable {
    enum Outcome {
        case submitted, cancelled, refused
    }

    private enum Phase {
        case waiting, submitted, cancelled
    }

    private let phase = Mutex(Phase.waiting)

    /// Runs `submit` unless the request was cancelled first; `submit` returns false to refuse.
    func submit(_ submit: () -> Bool) -> Outcome {
        phase.withLock { phase in
            guard phase == .waiting else { return .cancelled }
            guard submit() else { return .refused }
            phase = .submitted
            return .submitted
        }
    }

    /// Marks the request cancelled, running `cancelSubmitted` if it had already been handed over.
    func cancel(_ cancelSubmitted: () -> Void) {
        phase.withLock { phase in
            if phase == .submitted { cancelSubmitted() }
            phase = .cancelled
        }
    }
}
