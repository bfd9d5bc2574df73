import JSONModel

/// Reading replies of `keywords` prompts: a JSON array of strings, hierarchical keywords as `Parent|Child`.
///
/// Read as replies really come: bare, fenced or inside prose, cut off (the complete strings kept), an
/// object holding the array (`{"keywords": [...]}`), items as objects with a `keyword`, `name` or `label`,
/// or no JSON at all (a list by lines or commas). Each keyword is cleaned like a label, its levels trimmed;
/// repeats are dropped case-insensitively and the list is capped at ``KeywordRules/maxKeywords``.
public enum KeywordReader {
    /// The longest keyword kept; longer ones are cut.
    static let maxLength = 100

    public static func read(text: String, rules: KeywordRules) -> (keywords: [String], notes: [String]) {
        var (raw, notes) = candidates(in: text)
        let vocabulary = VocabularyIndex(rules.vocabulary)
        var seen: Set<String> = []
        var keywords: [String] = []
        var outside = 0
        var beyondCap = 0
        for candidate in raw {
            guard var keyword = normalized(candidate) else { continue }
            if let known = vocabulary.match(keyword) {
                keyword = known
            } else if rules.vocabularyOnly {
                outside += 1
                continue
            }
            guard seen.insert(keyword.lowercased()).inserted else { continue }
            if keywords.count == rules.maxKeywords {
                beyondCap += 1
                continue
            }
            keywords.append(keyword)
        }
        if outside > 0 { notes.append("\(outside) keyword(s) outside the vocabulary were dropped (vocabulary_only)") }
        if beyondCap > 0 { notes.append("\(beyondCap) keyword(s) beyond max_keywords = \(rules.maxKeywords) were dropped") }
        return (keywords, notes)
    }

    /// The strings the reply offers as keywords, with notes on how they were found.
    private static func candidates(in text: String) -> ([String], [String]) {
        let parsed = TextReply.parseJSONReply(text: text)
        guard let value = parsed.value else {
            let items = text.split(whereSeparator: { $0 == "\n" || $0 == "," }).map { listItem(String($0)) }
            return (items, items.isEmpty ? parsed.notes : ["no JSON found in the reply; read it as a list"])
        }
        return (strings(in: value), parsed.notes)
    }

    /// Strings of an array, of the first array inside an object (preferring `keywords` and `tags`), or a
    /// comma-separated string.
    private static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .array(let items):
            return items.compactMap { item in
                if case .string(let s) = item { return s }
                for key in ["keyword", "name", "label", "tag"] { if case .string(let s)? = item[key] { return s } }
                return nil
            }
        case .object(let members):
            let preferred = members.first { ["keywords", "tags"].contains($0.key.lowercased()) }
            guard let list = preferred ?? members.first(where: { if case .array = $0.value { true } else { false } }) else {
                return []
            }
            return strings(in: list.value)
        case .string(let s):
            return s.split(separator: ",").map(String.init)
        default:
            return []
        }
    }

    /// A line of a plain list without its bullet or number (`- dog`, `2. dog`) or quotes.
    private static func listItem(_ line: String) -> String {
        var item = line.drop { "-*•# \t".contains($0) }
        if let marker = item.firstIndex(where: { !$0.isNumber }), marker != item.startIndex, ".)".contains(item[marker]) {
            item = item[item.index(after: marker)...]
        }
        return String(item).trimmingSpaces().trimmingCharacters(in: "\"'")
    }

    /// The keyword cleaned (controls removed, cut to ``maxLength``), each level trimmed, empty levels
    /// dropped; nil when nothing is left.
    static func normalized(_ raw: String) -> String? {
        let clean = LabelSanitizer.sanitize(raw, maxLength: maxLength).label
        let levels = clean.split(separator: "|").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        return levels.isEmpty ? nil : levels.joined(separator: "|")
    }
}

extension String {
    /// Without the given characters at either end.
    fileprivate func trimmingCharacters(in set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view.removeFirst() }
        while let last = view.last, set.contains(last) { view.removeLast() }
        return String(view)
    }
}
