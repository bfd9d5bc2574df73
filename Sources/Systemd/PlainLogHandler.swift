import Logging
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Writes each event as one line to standard error: `2026-11-25T18:00:00Z info dropsight: message key=value`.
///
/// The time is UTC to the second; metadata follows sorted by key, values quoted when they hold spaces,
/// quotes or `=`; line breaks are written as `\n`. Registered secrets are replaced in every line.
public struct PlainLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info

    private let label: String
    private let secrets: SecretRegistry
    private let output: FileDescriptor
    private let clock: @Sendable () -> time_t

    /// A handler for `label` writing to standard error.
    public init(label: String, secrets: SecretRegistry, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(
            label: label, secrets: secrets, metadataProvider: metadataProvider,
            fileDescriptor: STDERR_FILENO, clock: { time(nil) })
    }

    /// A handler writing to `fileDescriptor`, taking the time from `clock` (tests).
    init(
        label: String, secrets: SecretRegistry, metadataProvider: Logger.MetadataProvider?,
        fileDescriptor: Int32, clock: @escaping @Sendable () -> time_t
    ) {
        self.label = label
        self.secrets = secrets
        self.metadataProvider = metadataProvider
        self.output = FileDescriptor(rawValue: fileDescriptor)
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let record = LogRecord(
            event: event, label: label, handlerMetadata: metadata,
            provider: metadataProvider, secrets: secrets)
        Self.write(Self.line(for: record, at: clock()), to: output)
    }

    /// The text of one line, newline included.
    static func line(for record: LogRecord, at seconds: time_t) -> String {
        var line = "\(timestamp(seconds)) \(record.level) \(record.label): \(escaped(record.message))"
        for (key, value) in record.metadata {
            line += " \(escaped(key))=\(quotedIfNeeded(value))"
        }
        return line + "\n"
    }

    /// `seconds` since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
    static func timestamp(_ seconds: time_t) -> String {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// `text` with control characters written as escapes, so it stays on one line.
    private static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A metadata value, in double quotes when it is empty or holds a space, a quote or `=`.
    private static func quotedIfNeeded(_ value: String) -> String {
        let plain = escaped(value)
        let needsQuotes = plain.isEmpty || plain.contains { $0 == " " || $0 == "\"" || $0 == "=" }
        guard needsQuotes else { return plain }
        return "\"" + escaped(value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")) + "\""
    }

    /// Writes all of `line`; a failure is dropped, as there is nowhere left to report it.
    private static func write(_ line: String, to output: FileDescriptor) {
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let written = try? bytes.withUnsafeBytes { try output.write($0) }
            guard let written, written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
