import Foundation
import Logging
import Testing

@testable import Systemd

/// Logs through ``LogSetup`` into a real journal; `scripts/systemd-test` runs it under systemd and reads it back.
///
/// Enabled only when `DROPSIGHT_JOURNAL_PROBE` holds a secret: the script starts this test binary as a
/// unit with `StandardError=journal` next to a systemd-journald, then checks with `journalctl` that the
/// entry carries `PRIORITY=4`, `SYSLOG_IDENTIFIER=dropsight`, `DROPSIGHT_IMAGE`, `DROPSIGHT_JOB`, and
/// that the secret was replaced.
@Suite("Journal probe (run by scripts/systemd-test)")
struct JournalProbeTests {
    static let secret = ProcessInfo.processInfo.environment["DROPSIGHT_JOURNAL_PROBE"]

    @Test(
        "a warning with metadata goes to the journal as structured fields",
        .enabled(if: secret != nil, "only under scripts/systemd-test"))
    func journalProbe() throws {
        let secret = try #require(Self.secret)
        #expect(LogSetup.bootstrap(level: .info) == .journal)
        LogSetup.registerSecret(secret)
        let logger = Logger(label: "dropsight.probe")
        logger.warning(
            "journal probe: request with key \(secret) stalled",
            metadata: ["dropsight.image": "/photos/IMG_0042.jpg", "dropsight.job": "42"])
    }
}
