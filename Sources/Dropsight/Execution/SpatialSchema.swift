import JSONModel

/// The response schema the newest image-understanding page uses for boxes and masks on Gemini 3
/// (`gemini-api-2026.md` §4): a top-level object whose `boxes` hold `box_2d` (`[ymin, xmin, ymax, xmax]`,
/// 0-1000), a `label`, and for segmentation a `mask` polygon of `[x, y]` points on the same grid.
enum SpatialSchema {
    static func boxes(withMasks: Bool) -> JSONValue {
        let integers = object(["type": .string("array"), "items": object(["type": .string("integer")])])
        var properties: KeyValuePairs<String, JSONValue> = ["box_2d": integers, "label": object(["type": .string("string")])]
        var required = ["box_2d", "label"]
        if withMasks {
            properties = [
                "box_2d": integers, "mask": object(["type": .string("array"), "items": integers]),
                "label": object(["type": .string("string")]),
            ]
            required = ["box_2d", "mask", "label"]
        }
        let item = object(["type": .string("object"), "properties": object(properties), "required": .array(required.map(JSONValue.string))])
        return object([
            "type": .string("object"),
            "properties": object(["boxes": object(["type": .string("array"), "items": item])]),
            "required": .array([.string("boxes")]),
        ])
    }

    /// An object with its members in the order written.
    private static func object(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(members.map { JSONValue.Member(key: $0.key, value: $0.value) })
    }
}
