import Logging
import Testing

@testable import Systemd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("PlainLogHandler writes one line per event")
struct PlainLogHandlerTests {
    /// 2026-11-25T18:00:00Z.
    static let fixedTime: time_t = 1_795_629_600

    func logger(writingTo file: LogFile, secrets: SecretRegistry = SecretRegistry()) -> Logger {
        Logger(label: "dropsight") { label in
            PlainLogHandler(
                label: label, secrets: secrets, metadataProvider: nil,
                fileDescriptor: file.descriptor, clock: { Self.fixedTime })
        }
    }

    @Test("time, level, label, message, then metadata sorted by key")
    func lineFormat() throws {
        let file = try LogFile()
        var logger = logger(writingTo: file)
        logger[metadataKey: "dropsight.job"] = "42"
        logger.info("sidecar written", metadata: ["dropsight.image": "/photos/IMG_1.jpg", "dropsight.prompt": "caption"])
        logger.warning("retrying")

        #expect(
            try file.contents() == """
                2026-11-25T18:00:00Z info dropsight: sidecar written dropsight.image=/photos/IMG_1.jpg \
                dropsight.job=42 dropsight.prompt=caption
                2026-11-25T18:00:00Z warning dropsight: retrying dropsight.job=42

                """)
    }

    @Test("line breaks are escaped and values with spaces are quoted")
    func staysOnOneLine() throws {
        let file = try LogFile()
        let logger = logger(writingTo: file)
        logger.error("two\nlines", metadata: ["reason": "quota \"daily\"", "empty": ""])

        #expect(
            try file.contents() == """
                2026-11-25T18:00:00Z error dropsight: two\\nlines empty="" reason="quota \\"daily\\""

                """)
    }

    @Test("levels below the handler's level are not written")
    func levelFilter() throws {
        let file = try LogFile()
        var logger = logger(writingTo: file)
        logger.logLevel = .notice
        logger.info("hidden")
        logger.notice("shown")
        #expect(try file.contents() == "2026-11-25T18:00:00Z notice dropsight: shown\n")
    }

    @Test("a registered secret never reaches the line, in the message or in metadata")
    func redactsSecrets() throws {
        let file = try LogFile()
        let secrets = SecretRegistry()
        secrets.register("AIzaSyEXAMPLEKEY0123456789")
        let logger = logger(writingTo: file, secrets: secrets)
        logger.error(
            "request to ?key=AIzaSyEXAMPLEKEY0123456789 failed",
            metadata: ["header": "x-goog-api-key: AIzaSyEXAMPLEKEY0123456789"])

        let text = try file.contents()
        #expect(!text.contains("AIzaSyEXAMPLEKEY0123456789"))
        #expect(
            text == """
                2026-11-25T18:00:00Z error dropsight: request to ?key=[REDACTED] failed \
                header="x-goog-api-key: [REDACTED]"

                """)
    }

    @Test("timestamps are UTC with zero-padded fields")
    func timestamp() {
        #expect(PlainLogHandler.timestamp(0) == "1970-01-01T00:00:00Z")
        #expect(PlainLogHandler.timestamp(1_709_251_199) == "2024-02-29T23:59:59Z")
    }
}
