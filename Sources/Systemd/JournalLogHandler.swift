import CSystemd
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Sends each event to the systemd journal as a structured entry (`sd_journal_sendv`).
///
/// Fields: `MESSAGE`, `PRIORITY` (syslog 0-7 from the level), `SYSLOG_IDENTIFIER=dropsight`,
/// `DROPSIGHT_LOGGER` (the logger's label), `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, and one field per
/// metadata key (`dropsight.job` → `DROPSIGHT_JOB`). Registered secrets are replaced in every value.
/// When the journal refuses an entry, the event is written as a plain line to standard error.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info

    private let label: String
    private let secrets: SecretRegistry

    public init(label: String, secrets: SecretRegistry, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.secrets = secrets
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let record = LogRecord(
            event: event, label: label, handlerMetadata: metadata,
            provider: metadataProvider, secrets: secrets)
        if Self.send(JournalFields.fields(for: record)) < 0 {
            var fallback = PlainLogHandler(label: label, secrets: secrets)
            fallback.metadata = metadata
            fallback.metadataProvider = metadataProvider
            fallback.log(event: event)
        }
    }

    /// Passes `fields` to `sd_journal_sendv` as one entry; returns its result (negative errno on failure).
    private static func send(_ fields: [String]) -> Int32 {
        var storage: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = storage.count
            storage.append(contentsOf: field.utf8)
            ranges.append(start..<storage.count)
        }
        return storage.withUnsafeMutableBytes { buffer in
            let vectors = ranges.map { range in
                iovec(iov_base: buffer.baseAddress! + range.lowerBound, iov_len: range.count)
            }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }
}
