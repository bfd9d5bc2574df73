#if DEBUG
    import Foundation

    /// Test-only (debug builds; release builds do not contain it): aborts the process when a job starts on an
    /// image whose file name contains `DROPSIGHT_TEST_CRASH_ON`, so tests can make a photo crash the daemon.
    enum TestCrashHook {
        static let trigger = ProcessInfo.processInfo.environment["DROPSIGHT_TEST_CRASH_ON"].flatMap { $0.isEmpty ? nil : $0 }

        static func crashIfAsked(imagePath: String) {
            guard let trigger, (imagePath as NSString).lastPathComponent.contains(trigger) else { return }
            abort()
        }
    }
#endif
