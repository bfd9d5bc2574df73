#if DEBUG
    import Foundation

    /// Test-only (debug builds; release builds do not contain it): aborts the process right after the batch
    /// step named by `DROPSIGHT_TEST_CRASH_BATCH` (`uploaded`; `sent`: the create answered, not yet
    /// recorded; `created`, `polled`, `downloaded`, `answered`: the first
    /// result line applied; `published`),
    /// so tests can SIGKILL the daemon between two recorded steps.
    enum BatchCrashHook {
        static let step = ProcessInfo.processInfo.environment["DROPSIGHT_TEST_CRASH_BATCH"].flatMap { $0.isEmpty ? nil : $0 }

        static func crashIfAsked(after name: String) {
            guard step == name else { return }
            abort()
        }
    }
#endif
