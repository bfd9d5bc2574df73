import Synchronization

/// Commands from any thread to the watch thread, with a pipe that wakes its `poll`.
final class Mailbox: Sendable {
    enum Command: Sendable {
        case update([WatchSpec])
        case injectOverflow
        case pauseReading(Duration)
        case stop
    }

    private struct State {
        var commands: [Command] = []
        /// True once the watch thread closed the pipe: nothing more is accepted.
        var closed = false
    }

    /// The pipe's read end, polled by the watch thread.
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32
    private let state = Mutex(State())

    init() throws(SystemCallError) {
        (wakeReadFD, wakeWriteFD) = try Syscalls.pipe()
    }

    /// Queues a command and wakes the thread; ignored after ``close()``.
    func send(_ command: Command) {
        state.withLock { state in
            guard !state.closed else { return }
            state.commands.append(command)
            Syscalls.writeByte(wakeWriteFD)
        }
    }

    /// Takes every queued command and empties the pipe.
    func receive() -> [Command] {
        var scratch = [UInt8](repeating: 0, count: 64)
        while (try? scratch.withUnsafeMutableBytes({ buffer throws(SystemCallError) in
            try Syscalls.read(wakeReadFD, into: buffer)
        })) ?? 0 > 0 {}
        return state.withLock { state in
            defer { state.commands.removeAll() }
            return state.commands
        }
    }

    /// Closes the pipe (called by the watch thread as it ends).
    func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            Syscalls.close(wakeReadFD)
            Syscalls.close(wakeWriteFD)
        }
    }
}
