/// The type of one field of a request message, as the proto3 JSON parser sees it.
indirect enum FieldKind: Sendable {
    case string
    case int32
    case int64
    case float
    case bool
    case bytes
    /// An enum: its fully qualified proto name and accepted value names; with `ignoringCase`,
    /// names in any case are accepted and written back in the listed spelling.
    case enumeration(String, [String], ignoringCase: Bool)
    /// A nested message, by its name in `RequestSchemas`.
    case message(String)
    /// `google.protobuf.Value`/`Struct`: anything goes, left untouched.
    case any

    /// The type name Google prints in "Invalid value at ..." messages.
    var wireTypeName: String {
        switch self {
        case .string: return "TYPE_STRING"
        case .int32: return "TYPE_INT32"
        case .int64: return "TYPE_INT64"
        case .float: return "TYPE_FLOAT"
        case .bool: return "TYPE_BOOL"
        case .bytes: return "TYPE_BYTES"
        case .enumeration(let name, _, _): return "type.googleapis.com/\(name)"
        case .message(let name): return "type.googleapis.com/google.ai.generativelanguage.v1beta.\(name)"
        case .any: return "type.googleapis.com/google.protobuf.Value"
        }
    }
}

/// One field of a message: proto name, JSON name, kind, and whether it repeats.
struct FieldSpec: Sendable {
    let protoName: String
    let jsonName: String
    let kind: FieldKind
    let repeated: Bool

    init(_ protoName: String, _ kind: FieldKind, repeated: Bool = false, jsonName: String? = nil) {
        self.protoName = protoName
        self.kind = kind
        self.repeated = repeated
        self.jsonName = jsonName ?? Self.lowerCamel(protoName)
    }

    /// `generation_config` → `generationConfig`, the proto3 JSON mapping.
    static func lowerCamel(_ snake: String) -> String {
        var out = ""
        var upperNext = false
        for ch in snake {
            if ch == "_" {
                upperNext = true
            } else if upperNext {
                out += ch.uppercased()
                upperNext = false
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

/// The known fields of one request message.
///
/// A key is accepted under its proto (snake_case) name, its lowerCamelCase name, or an
/// explicit `json_name`; the emulator also accepts extra aliases for fields such as
/// `response_json_schema` whose spellings map to different proto fields on the real service.
struct MessageSchema: Sendable {
    let name: String
    private let byKey: [String: FieldSpec]

    init(_ name: String, _ fields: [FieldSpec], aliases: [String: String] = [:]) {
        self.name = name
        var byKey: [String: FieldSpec] = [:]
        for field in fields {
            byKey[field.protoName] = field
            byKey[field.jsonName] = field
        }
        for (alias, target) in aliases {
            byKey[alias] = fields.first { $0.protoName == target }
        }
        self.byKey = byKey
    }

    func field(forKey key: String) -> FieldSpec? {
        byKey[key]
    }
}
