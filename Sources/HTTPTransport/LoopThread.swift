import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// A POSIX thread that runs one closure, and can be joined once.
final class LoopThread: Sendable {
    private let thread: Mutex<pthread_t?>

    /// Starts a thread that runs `body`.
    init(body: @escaping @Sendable () -> Void) throws(Errno) {
        let context = Unmanaged.passRetained(Body(run: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { context in
                let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
                body.run()
                return nil
            }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw Errno(rawValue: result)
        }
        self.thread = Mutex(thread)
    }

    /// Waits for the thread to end; later calls return at once.
    ///
    /// Called from the thread itself it detaches instead, since a thread cannot join itself.
    func join() {
        guard let thread = self.thread.withLock({ $0.take() }) else { return }
        if pthread_equal(thread, pthread_self()) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }

    private final class Body {
        let run: @Sendable () -> Void
        init(run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }
}
