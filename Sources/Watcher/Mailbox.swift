import Synchronization
import SystemPackage

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
    let wakeRead: FileDescriptor
    private let wakeWrite: FileDescriptor
    private let state = Mutex(State())

    init() throws(SystemCallError) {
        do {
            (wakeRead, wakeWrite) = try FileDescriptor.pipe(options: [.nonBlocking, .closeOnExec])
        } catch {
            throw SystemCallError(call: "pipe2", errno: error)
        }
    }

    /// Queues a command and wakes the thread; ignored after ``close()``.
    func send(_ command: Command) {
        state.withLock { state in
            guard !state.closed else { return }
            state.commands.append(command)
            // A full pipe already holds a wake-up, so a failed write (EAGAIN) is fine.
            _ = try? wakeWrite.writeAll(CollectionOfOne(UInt8(1)))
        }
    }

    /// Takes every queued command and empties the pipe.
    func receive() -> [Command] {
        var scratch = [UInt8](repeating: 0, count: 64)
        // Reads until the pipe is empty (EAGAIN) or fails.
        while (try? scratch.withUnsafeMutableBytes({ try wakeRead.read(into: $0) })) ?? 0 > 0 {}
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
            try? wakeRead.close()
            try? wakeWrite.close()
        }
    }
}
