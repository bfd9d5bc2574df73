import Logging

/// Turns a log event into journal fields (`NAME=value` strings) for `sd_journal_sendv`.
enum JournalFields {
    /// `SYSLOG_IDENTIFIER`, what `journalctl -t` filters on.
    static let identifier = "dropsight"

    /// Fields the handler sets itself; metadata that maps onto one of them gets a `META_` prefix.
    static let reserved: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "DROPSIGHT_LOGGER",
    ]

    /// All fields for `record`, in a fixed order: message, priority, identifier, logger, code location, metadata.
    static func fields(for record: LogRecord) -> [String] {
        var fields = [
            "MESSAGE=" + record.message,
            "PRIORITY=\(priority(record.level))",
            "SYSLOG_IDENTIFIER=" + identifier,
            "DROPSIGHT_LOGGER=" + record.label,
            "CODE_FILE=" + record.file,
            "CODE_LINE=\(record.line)",
            "CODE_FUNC=" + record.function,
        ]
        for (key, value) in record.metadata {
            fields.append(name(forMetadataKey: key) + "=" + value)
        }
        return fields
    }

    /// The syslog priority (0 emergency … 7 debug) for a swift-log level.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A valid journal field name for a metadata key: `dropsight.image` becomes `DROPSIGHT_IMAGE`.
    ///
    /// Letters are upper-cased and every other character that is not an ASCII digit becomes `_`.
    /// Names must not start with `_` (journald keeps those for itself) or a digit, nor clash with
    /// ``reserved``: such names, and empty ones, get a `META_` prefix. At most 64 characters.
    static func name(forMetadataKey key: String) -> String {
        var name = String(
            key.unicodeScalars.map { scalar -> Character in
                switch scalar {
                case "a"..."z": Character(String(scalar).uppercased())
                case "A"..."Z", "0"..."9": Character(scalar)
                default: "_"
                }
            })
        while name.hasPrefix("_") { name.removeFirst() }
        if name.isEmpty || name.first!.isNumber || reserved.contains(name) {
            name = "META_" + name
        }
        return String(name.prefix(64))
    }
}
