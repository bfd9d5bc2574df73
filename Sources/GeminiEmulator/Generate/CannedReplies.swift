import Foundation

/// Why a replies file was refused.
struct CannedRepliesError: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Prompt patterns mapped to exact reply texts, from `--replies FILE`.
///
/// The file is a JSON list of `{"match": "text", "reply": "..."}` rules; `match` is a
/// case-insensitive substring of the prompt text, or a regular expression with
/// `"regex": true`; `replyFile` (relative to the replies file) may stand in for `reply`,
/// e.g. to replay `gemini-examples/spatial_detect_socks_fenced_2026-06.txt` verbatim.
struct CannedReplies: Sendable {
    struct Rule: Sendable {
        var pattern: String
        var isRegex: Bool
        var reply: String
    }

    var rules: [Rule] = []

    init(rules: [Rule] = []) {
        self.rules = rules
    }

    init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CannedRepliesError(message: "Cannot read the replies file \(url.path): \(error.localizedDescription)")
        }
        let document: WireJSON
        do {
            document = try WireJSONParser.parse(data)
        } catch {
            throw CannedRepliesError(message: "The replies file \(url.path) is not JSON: \(error.reason) (byte \(error.offset)).")
        }
        guard let list = document.arrayValue ?? document["replies"]?.arrayValue else {
            throw CannedRepliesError(message: "The replies file \(url.path) must hold a JSON list of {\"match\", \"reply\"} rules.")
        }
        let folder = url.deletingLastPathComponent()
        for (index, item) in list.enumerated() {
            guard let pattern = item["match"]?.stringValue else {
                throw CannedRepliesError(message: "Reply rule \(index) in \(url.path) has no \"match\" string.")
            }
            var reply = item["reply"]?.stringValue
            if reply == nil, let file = item["replyFile"]?.stringValue {
                let path = file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file)
                reply = try? String(contentsOf: path, encoding: .utf8)
                if reply == nil {
                    throw CannedRepliesError(message: "Reply rule \(index): cannot read replyFile \(path.path).")
                }
            }
            guard let reply else {
                throw CannedRepliesError(message: "Reply rule \(index) in \(url.path) needs \"reply\" or \"replyFile\".")
            }
            let isRegex = item["regex"]?.boolValue ?? false
            if isRegex, (try? NSRegularExpression(pattern: pattern)) == nil {
                throw CannedRepliesError(message: "Reply rule \(index): \"\(pattern)\" is not a valid regular expression.")
            }
            rules.append(Rule(pattern: pattern, isRegex: isRegex, reply: reply))
        }
    }

    /// The reply of the first rule matching `prompt`.
    func reply(for prompt: String) -> String? {
        for rule in rules {
            if rule.isRegex {
                if prompt.range(of: rule.pattern, options: [.regularExpression, .caseInsensitive]) != nil { return rule.reply }
            } else if prompt.localizedCaseInsensitiveContains(rule.pattern) {
                return rule.reply
            }
        }
        return nil
    }
}
