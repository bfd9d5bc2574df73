import CVips

/// Renders label text with Pango (vips_text) as a coverage image, always as plain text.
enum LabelRenderer {
    /// Labels longer than this many characters are cut and end with an ellipsis.
    static let maxCharacters = 60

    /// The label as coverage (1 band), or nil when it is empty or Pango cannot lay it out.
    static func render(_ label: String, pixelSize: Int) -> PixelImage? {
        let text = shortened(label)
        guard !text.isEmpty else { return nil }
        var out: UnsafeMutablePointer<VipsImage>?
        // At 72 dpi a point is a pixel, so the font size is the wanted pixel size.
        guard ds_vips_text(&out, escapeMarkup(text), "DejaVu Sans Bold \(pixelSize)", 72) == 0, let out else {
            if let out { g_object_unref(out) }
            _ = Vips.takeErrorText()
            return nil
        }
        let image = VipsImageRef(taking: out)
        var length = 0
        guard let memory = vips_image_write_to_memory(image.pointer, &length) else {
            _ = Vips.takeErrorText()
            return nil
        }
        defer { g_free(memory) }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: memory, count: length))
        guard image.bands == 1, bytes.count == image.width * image.height else { return nil }
        return PixelImage(width: image.width, height: image.height, bands: 1, pixels: bytes)
    }

    /// Escapes the characters Pango markup gives meaning to, so the text shows literally.
    static func escapeMarkup(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// One line: control characters become spaces, long labels end in an ellipsis.
    static func shortened(_ label: String) -> String {
        let line = String(label.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
            .trimmingWhitespace()
        return line.count > maxCharacters ? String(line.prefix(maxCharacters - 1)) + "…" : line
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
