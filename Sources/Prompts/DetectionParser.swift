import JSONModel

/// Turns a detection reply (`[{"box_2d": [ymin, xmin, ymax, xmax], "label": ...}, ...]`) into pixel boxes.
///
/// Coordinates are on a 0-1000 grid, y first; pixel = value * size / 1000 of the upright original.
/// Duplicates are kept. Items that cannot be used are dropped with a note naming their 1-based index.
public enum DetectionParser {
    public static func parse(
        text: String, imageWidth: Int, imageHeight: Int, limits: SpatialLimits = SpatialLimits()
    ) -> DetectionParse {
        var notes = ReplyNotes(maxItemNotes: limits.maxItemNotes)
        guard imageWidth > 0, imageHeight > 0 else {
            notes.add("image size \(imageWidth)x\(imageHeight) is not usable; no boxes read")
            return DetectionParse(detections: [], notes: notes.all)
        }
        var detections: [Detection] = []
        for (offset, item) in SpatialItems.read(text: text, limits: limits, notes: &notes).enumerated() {
            if let detection = detection(
                item: item, index: offset + 1, imageWidth: imageWidth, imageHeight: imageHeight,
                limits: limits, notes: &notes)
            {
                detections.append(detection)
            }
        }
        return DetectionParse(detections: detections, notes: notes.all)
    }

    /// One item as a detection, or nil with a note.
    static func detection(
        item: JSONValue, index: Int, imageWidth: Int, imageHeight: Int,
        limits: SpatialLimits, notes: inout ReplyNotes
    ) -> Detection? {
        guard case .object = item else {
            notes.add(item: index, "is \(item.kindWithArticle), not an object; skipped")
            return nil
        }
        guard let (key, value) = DetectionReader.boxValue(in: item) else {
            notes.add(item: index, "has no box_2d; skipped")
            return nil
        }
        guard let box = DetectionReader.gridBox(value, key: key, index: index, notes: &notes) else {
            return nil
        }
        return Detection(
            label: DetectionReader.label(in: item, index: index, limits: limits, notes: &notes),
            box2d: box.returned,
            box: PixelBox.fromGrid(box.grid, imageWidth: imageWidth, imageHeight: imageHeight))
    }
}
