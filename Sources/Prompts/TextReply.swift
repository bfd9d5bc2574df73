import JSONModel

/// Reading replies of `json` prompts.
public enum TextReply {
    /// The reply's JSON, with notes on prose around it, a cut-off, or its absence.
    public static func parseJSONReply(text: String) -> (value: JSONValue?, notes: [String]) {
        let extracted = JSONExtractor.extract(from: text)
        var notes: [String] = []
        if extracted.value == nil {
            notes.append(
                extracted.truncated
                    ? "reply was cut off before any complete JSON value"
                    : "no JSON found in the reply")
            return (nil, notes)
        }
        if extracted.hadProse {
            notes.append("text around the JSON was ignored")
        }
        if extracted.truncated {
            notes.append("reply was cut off; kept the \(extracted.recoveredItems) complete items before the cut")
        }
        return (extracted.value, notes)
    }
}
