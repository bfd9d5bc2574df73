/// Makes a model's label safe to store and draw while keeping it as data.
///
/// Markup and path-like text (`<span>`, `../`) stay verbatim: the label is never interpreted.
/// Control characters go (tabs and line breaks become spaces), as do bidirectional overrides that
/// could make drawn text read differently from the stored text.
enum LabelSanitizer {
    struct Result {
        var label: String
        var wasCut: Bool
        var hadControls: Bool
    }

    static func sanitize(_ raw: String, maxLength: Int) -> Result {
        var scalars = String.UnicodeScalarView()
        var hadControls = false
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D:
                hadControls = true
                scalars.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                hadControls = true
            default:
                scalars.append(scalar)
            }
        }
        var label = String(scalars).trimmingSpaces()
        let wasCut = label.count > maxLength
        if wasCut { label = String(label.prefix(maxLength)) }
        return Result(label: label, wasCut: wasCut, hadControls: hadControls)
    }
}

extension String {
    /// Without leading and trailing spaces.
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return String(view)
    }
}
