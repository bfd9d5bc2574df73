import Foundation

/// RFC 3339 timestamps as the service writes them: UTC, `Z`, 6 or 9 fractional digits.
enum Timestamp {
    static func rfc3339(_ date: Date, fractionDigits: Int = 6) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var nanos = Int(((interval - Double(seconds)) * 1e9).rounded())
        if nanos >= 1_000_000_000 {
            seconds += 1
            nanos -= 1_000_000_000
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let base = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)
        )
        guard fractionDigits > 0 else { return base + "Z" }
        let digits = String(format: "%09d", nanos).prefix(fractionDigits)
        return "\(base).\(digits)Z"
    }

    /// A proto3 `Duration` such as `"26s"` (whole seconds, rounded up).
    static func duration(seconds: Double) -> String {
        "\(Int(seconds.rounded(.up)))s"
    }
}
