/// Builds a JSON value that fits a response schema (`responseJsonSchema` or the OpenAPI-style
/// `responseSchema`), filling it with what the emulator saw.
///
/// Property names steer the values: `label`/`name` get an object's label, `box_2d` its box,
/// `width`/`height` the image size, `count` the number of objects, `color` a colour name,
/// other strings the caption, an array `mask` the object's entry in `masks`. Arrays of objects
/// get one item per detected object; arrays of strings the objects' labels (keywords).
struct SchemaFiller {
    let scene: SceneAnalysis?
    let caption: String
    /// Polygon masks by region number (`SceneObject.region`), for models that draw them.
    var masks: [Int32: WireJSON] = [:]

    func value(for schema: WireJSON) -> WireJSON {
        fill(schema, name: "", object: scene?.objects.first, depth: 0, root: schema)
    }

    private func fill(_ schema: WireJSON, name: String, object: SceneObject?, depth: Int, root: WireJSON) -> WireJSON {
        guard depth < 12 else { return .null }
        let schema = resolve(schema, root: root)
        if let choices = (schema["anyOf"] ?? schema["oneOf"])?.arrayValue,
            let first = choices.first(where: { typeName(resolve($0, root: root)) != "null" }) ?? choices.first
        {
            return fill(first, name: name, object: object, depth: depth + 1, root: root)
        }
        if let options = schema["enum"]?.arrayValue, !options.isEmpty {
            let mentioned = options.first { option in
                option.stringValue.map { caption.lowercased().contains($0.lowercased()) } ?? false
            }
            return mentioned ?? options[0]
        }
        let key = name.lowercased()
        switch typeName(schema) {
        case "object":
            let properties = schema["properties"]?.objectPairs ?? []
            let order = schema["propertyOrdering"]?.arrayValue?.compactMap(\.stringValue) ?? properties.map(\.0)
            let byName = Dictionary(properties, uniquingKeysWith: { first, _ in first })
            return .object(
                order.compactMap { property in
                    byName[property].map { (property, fill($0, name: property, object: object, depth: depth + 1, root: root)) }
                })
        case "array":
            let items = schema["items"] ?? .object([])
            let itemType = typeName(resolve(items, root: root))
            if key == "mask", let object, let mask = masks[object.region] {
                return mask
            }
            if key.contains("box") || key == "point", itemType != "object", let object, let scene {
                return .array(object.box2d(width: scene.width, height: scene.height).map { .int(Int64($0)) })
            }
            if itemType == "object" {
                let objects = scene?.objects ?? []
                return .array(objects.map { fill(items, name: name, object: $0, depth: depth + 1, root: root) })
            }
            if itemType == "string" {
                return .array(keywords(items: resolve(items, root: root), limit: schema["maxItems"]?.intValue).map(WireJSON.string))
            }
            return .array([fill(items, name: name, object: object, depth: depth + 1, root: root)])
        case "integer", "number":
            return .int(Int64(number(for: key, object: object, schema: schema)))
        case "boolean":
            return .bool(!(scene?.objects.isEmpty ?? true))
        case "null":
            return .null
        default:
            return .string(string(for: key, object: object))
        }
    }

    /// Strings for an array of strings (keywords, tags): each object's label once, then the background's
    /// colour, or the caption when nothing was seen; an item `enum` picks its options the scene mentions.
    private func keywords(items: WireJSON, limit: Int64?) -> [String] {
        var seen: Set<String> = []
        var words = ((scene?.objects.map(\.label) ?? []) + [scene?.backgroundName].compactMap { $0 })
            .filter { seen.insert($0.lowercased()).inserted }
        if let options = items["enum"]?.arrayValue?.compactMap(\.stringValue), !options.isEmpty {
            let scene = (words + [caption]).joined(separator: " ").lowercased()
            let mentioned = options.filter { scene.contains($0.lowercased()) }
            words = mentioned.isEmpty ? [options[0]] : mentioned
        }
        if words.isEmpty { words = [caption] }
        return Array(words.prefix(limit.map { max(1, Int($0)) } ?? words.count))
    }

    private func number(for key: String, object: SceneObject?, schema: WireJSON) -> Int {
        var value: Int
        if key.contains("width") {
            value = scene?.width ?? 0
        } else if key.contains("height") {
            value = scene?.height ?? 0
        } else if key.contains("count") || key.contains("number") || key.contains("objects") {
            value = scene?.objects.count ?? 0
        } else {
            value = 1
        }
        if let minimum = schema["minimum"]?.intValue { value = max(value, Int(minimum)) }
        if let maximum = schema["maximum"]?.intValue { value = min(value, Int(maximum)) }
        return value
    }

    private func string(for key: String, object: SceneObject?) -> String {
        if key.contains("label") || key == "name" || key.contains("object") {
            return object?.label ?? "nothing"
        }
        if key.contains("color") || key.contains("colour") {
            return object?.colorName ?? scene?.backgroundName ?? "none"
        }
        if key.contains("background") {
            return scene?.backgroundName ?? "none"
        }
        return caption
    }

    /// `"type"` as a lowercase word: the first non-null of a type list; inferred when absent.
    private func typeName(_ schema: WireJSON) -> String {
        if let type = schema["type"]?.stringValue { return type.lowercased() }
        if let types = schema["type"]?.arrayValue?.compactMap(\.stringValue) {
            return (types.first { $0.lowercased() != "null" } ?? types.first ?? "string").lowercased()
        }
        if schema["properties"] != nil { return "object" }
        if schema["items"] != nil { return "array" }
        return "string"
    }

    /// Follows a local `$ref` (`#/$defs/...`, `#/definitions/...`).
    private func resolve(_ schema: WireJSON, root: WireJSON) -> WireJSON {
        guard let ref = schema["$ref"]?.stringValue, ref.hasPrefix("#/") else { return schema }
        var node: WireJSON? = root
        for component in ref.dropFirst(2).split(separator: "/") {
            node = node?[String(component)]
        }
        return node ?? schema
    }
}
