import GeminiAPI
import Systemd

extension GeminiError {
    /// What an account-level answer means and how to fix it, in one line without the key, e.g. "the API key was
    /// refused (400 API_KEY_INVALID); fix key_file or the credential". Nil when the answer is about the request alone.
    var accountAdvice: String? {
        guard let problem = accountProblem else { return nil }
        let tag = [httpStatus.map(String.init), reason ?? status].compactMap { $0 }.joined(separator: " ")
        let said = "\(tag): \(Self.firstSentence(message))"
        let advice: String
        switch problem.kind {
        case .keyRefused:
            advice = "the API key was refused (\(tag)); fix key_file or the credential"
        case .permissionDenied:
            advice = "the key's project may not use the Gemini API (\(said)); check the project in Google AI Studio"
        case .modelUnavailable:
            let what =
                message.contains("new users") ? "closed to new users" : message.contains("no longer available") ? "shut down" : "not found"
            advice = "model \(problem.model ?? "?") is \(what) (\(tag)); choose another model in the configuration"
        case .billing:
            if let model = problem.model {
                advice =
                    "model \(model) has no quota on this plan (\(tag), limit 0); enable billing for the project or choose another model"
            } else {
                advice = "billing (\(said)); enable billing or add credits in Google AI Studio"
            }
        case .dailyQuota:
            advice = "the daily quota is used up (\(tag)); it resets at midnight Pacific time"
        }
        return LogSetup.secrets.redact(advice)
    }

    /// The message up to its first full stop, at most 120 characters: Google's texts go on with links and advice.
    private static func firstSentence(_ text: String) -> String {
        let sentence = text.split(separator: ". ", maxSplits: 1).first.map(String.init) ?? text
        return sentence.count > 120 ? String(sentence.prefix(119)) + "…" : sentence
    }
}
