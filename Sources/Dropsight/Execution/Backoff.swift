import Foundation

/// Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at `cap`, each scaled by a random factor in [0.5, 1].
public enum Backoff {
    public static func delay(attempt: Int, base: Duration = .seconds(1), cap: Duration = .seconds(300)) -> Duration {
        let exp = min(Double(1 << min(attempt - 1, 20)), cap / base)
        return base * (exp * Double.random(in: 0.5...1.0))
    }

    /// The service's own delay plus up to a fifth more (jitter), or the exponential backoff when it gave none.
    static func honouring(_ retryDelay: Duration?, attempt: Int) -> Duration {
        guard let retryDelay, retryDelay > .zero else { return delay(attempt: attempt) }
        return retryDelay * Double.random(in: 1.0...1.2)
    }

    /// A wait as people read it in a log line: `2.4 s`, `1 min 30 s`.
    public static func describe(_ wait: Duration) -> String {
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        guard seconds >= 60 else { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return whole % 60 == 0 ? "\(whole / 60) min" : "\(whole / 60) min \(whole % 60) s"
    }
}
