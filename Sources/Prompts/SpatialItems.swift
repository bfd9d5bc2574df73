import JSONModel

/// Finds the list of items in a detection or segmentation reply.
enum SpatialItems {
    /// Keys that hold an item's box, most common first.
    static let boxKeys = ["box_2d", "box2d", "bbox", "box"]
    /// Keys that hold an item's mask or outline.
    static let maskKeys = ["mask", "points", "polygon"]

    /// The items of the reply (at most `limits.maxItems`), noting fences, prose, cut-offs and caps.
    static func read(text: String, limits: SpatialLimits, notes: inout ReplyNotes) -> [JSONValue] {
        guard text.contains(where: { !$0.isWhitespace }) else {
            notes.add("reply is empty")
            return []
        }
        let extracted = JSONExtractor.extract(from: text)
        guard let value = extracted.value else {
            if extracted.truncated {
                notes.add("reply was cut off before the first complete item")
            } else {
                notes.add("no JSON found in the reply (\(text.count) characters of text)")
            }
            return []
        }
        if extracted.hadProse {
            notes.add("text around the JSON was ignored")
        }
        if extracted.truncated {
            notes.add("reply was cut off; kept the \(extracted.recoveredItems) complete items before the cut")
        }
        var items = list(in: value, notes: &notes)
        if items.count > limits.maxItems {
            notes.add(
                "reply has \(items.count) items; only the first \(limits.maxItems) were read, \(items.count - limits.maxItems) ignored")
            items = Array(items.prefix(limits.maxItems))
        }
        return items
    }

    private static func list(in value: JSONValue, notes: inout ReplyNotes) -> [JSONValue] {
        switch value {
        case .array(let items):
            return items
        case .object(let members):
            if (boxKeys + maskKeys).contains(where: { value[$0] != nil }) {
                return [value]
            }
            for member in members {
                if case .array(let items) = member.value {
                    // `{"boxes": [...]}` is the form the newest docs' response schema asks for.
                    if member.key != "boxes" { notes.add("items read from the reply's \"\(member.key)\" list") }
                    return items
                }
            }
            notes.add("reply JSON is an object without a list of items")
            return []
        default:
            notes.add("reply JSON is \(value.kindWithArticle), not a list of items")
            return []
        }
    }
}

/// Reads one item's box and label.
enum DetectionReader {
    /// The item's box value and the key it was under.
    static func boxValue(in item: JSONValue) -> (key: String, value: JSONValue)? {
        for key in SpatialItems.boxKeys {
            if let value = item[key] { return (key, value) }
        }
        return nil
    }

    /// The box as returned and clamped to the grid, or nil (with a note) when it cannot be used.
    static func gridBox(
        _ value: JSONValue, key: String, index: Int, notes: inout ReplyNotes
    ) -> (returned: [Double], grid: GridBox)? {
        guard case .array(let elements) = value else {
            notes.add(item: index, "\(key) is \(value.kindWithArticle), not a list of 4 numbers; dropped")
            return nil
        }
        guard elements.count == 4 else {
            notes.add(item: index, "\(key) has \(elements.count) values instead of 4; dropped")
            return nil
        }
        var returned: [Double] = []
        for element in elements {
            guard let number = SpatialNumber.read(element) else {
                notes.add(item: index, "\(key) holds a non-number (\(element.kindName)); dropped")
                return nil
            }
            guard number.isFinite else {
                notes.add(item: index, "\(key) holds a value that is not a finite number; dropped")
                return nil
            }
            returned.append(number)
        }
        let clamped = returned.map { min(max($0, 0), 1000) }
        if clamped != returned {
            notes.add(item: index, "\(key) \(SpatialNumber.text(returned)) reaches outside 0-1000; clamped")
        }
        let grid = GridBox(ymin: clamped[0], xmin: clamped[1], ymax: clamped[2], xmax: clamped[3])
        guard grid.ymin < grid.ymax, grid.xmin < grid.xmax else {
            notes.add(item: index, "\(key) \(SpatialNumber.text(returned)) is empty (ymin >= ymax or xmin >= xmax); dropped")
            return nil
        }
        return (returned, grid)
    }

    /// The item's label made safe, or "" with a note when it has none.
    static func label(in item: JSONValue, index: Int, limits: SpatialLimits, notes: inout ReplyNotes) -> String {
        let raw: String
        switch item["label"] {
        case .string(let text): raw = text
        case .number(let number): raw = SpatialNumber.text(number)
        case .bool(let flag): raw = String(flag)
        case nil, .null:
            notes.add(item: index, "no label")
            return ""
        case .some(let other):
            notes.add(item: index, "label is \(other.kindWithArticle), not text; left empty")
            return ""
        }
        let sanitized = LabelSanitizer.sanitize(raw, maxLength: limits.maxLabelLength)
        if sanitized.hadControls {
            notes.add(item: index, "control characters removed from the label")
        }
        if sanitized.wasCut {
            notes.add(item: index, "label cut to \(limits.maxLabelLength) characters")
        }
        return sanitized.label
    }
}

/// Numbers as models write them: JSON numbers or numeric strings.
enum SpatialNumber {
    static func read(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): number
        case .string(let text): Double(text.trimmingSpaces())
        default: nil
        }
    }

    /// `12` for integral values, `12.5` otherwise; `nan`/`inf` as Swift prints them.
    static func text(_ number: Double) -> String {
        if number.isFinite, number.rounded() == number, abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(number)
    }

    static func text(_ numbers: [Double]) -> String {
        "[" + numbers.map { text($0) }.joined(separator: ", ") + "]"
    }
}
