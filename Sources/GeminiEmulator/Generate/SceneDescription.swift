/// Captions that name an image's size and objects, and compare several images.
enum SceneDescription {
    static func caption(_ scene: SceneAnalysis) -> String {
        let size = "\(scene.width)x\(scene.height)"
        if scene.objects.isEmpty {
            return "A \(size) image of a plain \(scene.backgroundName) background with no distinct objects."
        }
        return "A \(size) image with a \(scene.backgroundName) background showing \(objectList(scene))."
    }

    /// "a red square at the top left and a blue object in the center", or counts when there are many.
    static func objectList(_ scene: SceneAnalysis) -> String {
        let phrases: [String]
        if scene.objects.count <= 5 {
            phrases = scene.objects.map { object in
                let position = object.position(width: scene.width, height: scene.height)
                return "\(article(object.label)) \(object.label) \(position == "center" ? "in the" : "at the") \(position)"
            }
        } else {
            phrases = labelCounts(scene).map { label, count in count == 1 ? "\(article(label)) \(label)" : "\(count) \(label)s" }
        }
        return join(phrases)
    }

    /// Each image described in turn, then what differs between them.
    static func comparison(_ items: [(index: Int, scene: SceneAnalysis?, media: MediaInput)]) -> String {
        var lines: [String] = []
        for item in items {
            if let scene = item.scene {
                lines.append("Image \(item.index): \(caption(scene))")
            } else {
                lines.append("Part \(item.index): a \(item.media.mimeType) file of \(item.media.byteCount) bytes.")
            }
        }
        let scenes = items.compactMap { item in item.scene.map { (item.index, $0) } }
        guard scenes.count >= 2 else { return lines.joined(separator: "\n") }
        let labelSets = scenes.map { ($0.0, Set($0.1.objects.map(\.label))) }
        let common = labelSets.map(\.1).reduce(labelSets[0].1) { $0.intersection($1) }
        var remarks: [String] = []
        if !common.isEmpty {
            remarks.append("All images show \(join(common.sorted().map { "\(article($0)) \($0)" })).")
        }
        for (index, labels) in labelSets {
            let only = labels.subtracting(common).sorted()
            if !only.isEmpty {
                remarks.append("Only image \(index) shows \(join(only.map { "\(article($0)) \($0)" })).")
            }
        }
        let sizes = Set(scenes.map { "\($0.1.width)x\($0.1.height)" })
        remarks.append(
            sizes.count == 1
                ? "The images have the same size."
                : "The images differ in size: "
                    + scenes.map { "image \($0.0) is \($0.1.width)x\($0.1.height)" }.joined(separator: ", ") + ".")
        lines.append("Comparison: " + remarks.joined(separator: " "))
        return lines.joined(separator: "\n")
    }

    static func labelCounts(_ scene: SceneAnalysis) -> [(String, Int)] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for object in scene.objects {
            if counts[object.label] == nil { order.append(object.label) }
            counts[object.label, default: 0] += 1
        }
        return order.map { ($0, counts[$0]!) }
    }

    private static func article(_ word: String) -> String {
        guard let first = word.lowercased().first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    private static func join(_ phrases: [String]) -> String {
        switch phrases.count {
        case 0: return "nothing"
        case 1: return phrases[0]
        default: return phrases.dropLast().joined(separator: ", ") + " and " + phrases.last!
        }
    }
}
