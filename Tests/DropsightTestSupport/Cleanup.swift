import Synchronization
import Testing

/// What the running test case started and must stop (emulators, daemons, child processes), stopped
/// when it ends, whether it passed, failed or threw: a failing test leaves nothing running.
///
/// The scope is the `.cleansUp` trait (on a test or, recursively, on a suite). Starting something
/// outside it is an error, so that no test can forget the cleanup.
public final class TestCleanups: Sendable {
    @TaskLocal static var current: TestCleanups?

    private let actions = Mutex<[@Sendable () async -> Void]>([])

    /// Has `action` run when the current test case ends, before the actions registered earlier.
    /// Outside a `.cleansUp` scope it runs `action` at once (what was started is stopped) and throws.
    public static func register(_ action: @escaping @Sendable () async -> Void) async throws {
        guard let current else {
            await action()
            throw MissingScope()
        }
        current.actions.withLock { $0.append(action) }
    }

    /// Runs the actions, latest first.
    func runAll() async {
        let actions = actions.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
        for action in actions.reversed() { await action() }
    }

    public struct MissingScope: Error, CustomStringConvertible {
        public var description: String {
            "this test starts a server, daemon or process outside a cleanup scope: give it (or its suite) the "
                + ".cleansUp trait, which stops it when the test ends"
        }
    }
}

/// Runs each test case (of a test, or of every test in a suite) with its own ``TestCleanups`` and runs
/// them when the test case ends, however it ends.
public struct CleansUp: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cleanups = TestCleanups()
        try await TestCleanups.$current.withValue(cleanups) {
            do {
                try await function()
            } catch {
                await cleanups.runAll()
                throw error
            }
            await cleanups.runAll()
        }
    }
}

extension Trait where Self == CleansUp {
    /// Stops what each test case started (see ``TestCleanups``) when it ends, passed or failed.
    public static var cleansUp: Self { Self() }
}

/// True the first time ``claim()`` is called, false after: makes a stop idempotent.
public final class OnceFlag: Sendable {
    private let claimed = Mutex(false)

    public init() {}

    /// Whether this call is the first one.
    public func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
