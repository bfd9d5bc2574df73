import Foundation
import Logging
import Testing

@testable import Systemd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Journal fields and stream detection")
struct JournalTests {
    @Test("dotted metadata keys become upper-case field names")
    func fieldNames() {
        #expect(JournalFields.name(forMetadataKey: "dropsight.image") == "DROPSIGHT_IMAGE")
        #expect(JournalFields.name(forMetadataKey: "dropsight.prompt") == "DROPSIGHT_PROMPT")
        #expect(JournalFields.name(forMetadataKey: "dropsight.job") == "DROPSIGHT_JOB")
        #expect(JournalFields.name(forMetadataKey: "http-status") == "HTTP_STATUS")
        #expect(JournalFields.name(forMetadataKey: "größe") == "GR__E")
    }

    @Test("names journald would refuse or that clash with the handler's own fields get META_")
    func unsafeFieldNames() {
        #expect(JournalFields.name(forMetadataKey: "_pid") == "PID")
        #expect(JournalFields.name(forMetadataKey: "message") == "META_MESSAGE")
        #expect(JournalFields.name(forMetadataKey: "priority") == "META_PRIORITY")
        #expect(JournalFields.name(forMetadataKey: "2fa") == "META_2FA")
        #expect(JournalFields.name(forMetadataKey: "") == "META_")
        #expect(JournalFields.name(forMetadataKey: String(repeating: "a", count: 100)).count == 64)
    }

    @Test("swift-log levels map to syslog priorities")
    func priorities() {
        let expected: [Logger.Level: Int] = [
            .trace: 7, .debug: 7, .info: 6, .notice: 5, .warning: 4, .error: 3, .critical: 2,
        ]
        for level in Logger.Level.allCases {
            #expect(JournalFields.priority(level) == expected[level])
        }
    }

    @Test("an event becomes MESSAGE, PRIORITY, identifier, code location and metadata fields")
    func entryFields() {
        let secrets = SecretRegistry()
        secrets.register("sekrit")
        let event = LogEvent(
            level: .warning, message: "upload sekrit slow",
            metadata: ["dropsight.job": "7", "dropsight.image": "/p/a.jpg"],
            source: "Dropsight", file: "Dropsight/Worker.swift", function: "run()", line: 12)
        let record = LogRecord(
            event: event, label: "dropsight.worker", handlerMetadata: ["dropsight.prompt": "caption"],
            provider: nil, secrets: secrets)
        #expect(
            JournalFields.fields(for: record) == [
                "MESSAGE=upload [REDACTED] slow",
                "PRIORITY=4",
                "SYSLOG_IDENTIFIER=dropsight",
                "DROPSIGHT_LOGGER=dropsight.worker",
                "CODE_FILE=Dropsight/Worker.swift",
                "CODE_LINE=12",
                "CODE_FUNC=run()",
                "DROPSIGHT_IMAGE=/p/a.jpg",
                "DROPSIGHT_JOB=7",
                "DROPSIGHT_PROMPT=caption",
            ])
    }

    @Test("JOURNAL_STREAM matches only the file the descriptor is open on")
    func journalStream() throws {
        let file = try LogFile()
        var status = stat()
        #expect(fstat(file.descriptor, &status) == 0)
        let value = "\(status.st_dev):\(status.st_ino)"

        #expect(JournalStream.matches(value, fileDescriptor: file.descriptor))
        #expect(!JournalStream.matches("\(status.st_dev):\(status.st_ino + 1)", fileDescriptor: file.descriptor))
        #expect(!JournalStream.matches(nil, fileDescriptor: file.descriptor))
        #expect(!JournalStream.matches("garbage", fileDescriptor: file.descriptor))
        #expect(!JournalStream.matches(value, fileDescriptor: -1))
    }
}
