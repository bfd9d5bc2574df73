/// A JSON value: a model reply's JSON, a response schema, an error body; `Sendable`, comparable and
/// re-encodable (into the sidecar, into a request).
///
/// Objects keep their members in the order the model wrote them, duplicates included.
/// Numbers are `Double`; a non-finite number (from a lenient `NaN` or `Infinity`) encodes as `null`
/// because JSON has no spelling for it.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of the first member named `key`, when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A short name of the value's kind, for notes ("string", "number", ...).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue {
    /// The kind with its article, for notes ("a string", "an object").
    public var kindWithArticle: String {
        switch self {
        case .array, .object: "an \(kindName)"
        default: "a \(kindName)"
        }
    }
}
