/// One thing wrong with a request body, as a `google.rpc.BadRequest` field violation.
struct FieldViolation: Sendable, Equatable {
    /// Proto-name path such as `generation_config` or `contents[0].parts[1]`; nil at the top.
    let field: String?
    let description: String
}

/// Everything wrong with a request body; turned into a 400 INVALID_ARGUMENT.
struct InvalidRequest: Error, Sendable {
    let violations: [FieldViolation]
}

/// Rewrites a parsed request body to canonical lowerCamelCase keys, checking it against
/// `RequestSchemas` the way the proto3 JSON parser does.
///
/// Keys may be snake_case, camelCase or both mixed at any depth; unknown names and values
/// of the wrong type are collected as violations with Google's own wording. `null` values
/// mean "unset" and are dropped.
enum RequestNormalizer {
    static func normalize(_ value: WireJSON, as messageName: String) throws(InvalidRequest) -> WireJSON {
        var violations: [FieldViolation] = []
        let result = normalizeMessage(value, schemaName: messageName, path: nil, violations: &violations)
        if !violations.isEmpty { throw InvalidRequest(violations: violations) }
        return result
    }

    private static func normalizeMessage(
        _ value: WireJSON, schemaName: String, path: String?, violations: inout [FieldViolation]
    ) -> WireJSON {
        guard let schema = RequestSchemas.all[schemaName] else { return value }
        guard case .object(let pairs) = value else {
            violations.append(invalidValue(path: path ?? "", kind: .message(schemaName), value: value))
            return .object([])
        }
        var out: [(String, WireJSON)] = []
        for (key, item) in pairs {
            guard let field = schema.field(forKey: key) else {
                let at = path.map { " at '\($0)'" } ?? ""
                let message = "Invalid JSON payload received. Unknown name \"\(key)\"\(at): Cannot find field."
                violations.append(FieldViolation(field: path, description: message))
                continue
            }
            if case .null = item { continue }
            let fieldPath = path.map { "\($0).\(field.protoName)" } ?? field.protoName
            let normalized: WireJSON
            if field.repeated {
                guard case .array(let items) = item else {
                    violations.append(invalidValue(path: fieldPath, kind: field.kind, value: item))
                    continue
                }
                normalized = .array(
                    items.enumerated().map { index, element in
                        normalizeSingle(element, kind: field.kind, path: "\(fieldPath)[\(index)]", violations: &violations)
                    })
            } else {
                if case .array = item, !isAny(field.kind) {
                    let message = "Invalid JSON payload received. Proto field is not repeating, cannot start list."
                    violations.append(FieldViolation(field: fieldPath, description: message))
                    continue
                }
                normalized = normalizeSingle(item, kind: field.kind, path: fieldPath, violations: &violations)
            }
            out.removeAll { $0.0 == field.jsonName }
            out.append((field.jsonName, normalized))
        }
        return .object(out)
    }

    private static func isAny(_ kind: FieldKind) -> Bool {
        if case .any = kind { return true }
        return false
    }

    private static func normalizeSingle(
        _ value: WireJSON, kind: FieldKind, path: String, violations: inout [FieldViolation]
    ) -> WireJSON {
        switch kind {
        case .any:
            return value
        case .message(let name):
            return normalizeMessage(value, schemaName: name, path: path, violations: &violations)
        case .string, .bytes:
            if case .string = value { return value }
        case .int32, .int64:
            if let i = value.intValue { return .int(i) }
        case .float:
            if let d = value.doubleValue { return .double(d) }
            if case .string(let s) = value, ["NaN", "Infinity", "-Infinity"].contains(s) { return value }
        case .bool:
            if case .bool = value { return value }
        case .enumeration(_, let names, let ignoringCase):
            if case .string(let s) = value, names.contains(s) { return value }
            if ignoringCase, case .string(let s) = value, let name = names.first(where: { $0.lowercased() == s.lowercased() }) {
                return .string(name)
            }
            if case .int(let i) = value, i >= 0, i < names.count { return .string(names[Int(i)]) }
        }
        violations.append(invalidValue(path: path, kind: kind, value: value))
        return value
    }

    private static func invalidValue(path: String, kind: FieldKind, value: WireJSON) -> FieldViolation {
        let message = "Invalid value at '\(path)' (\(kind.wireTypeName)), \(WireJSONWriter.string(value))"
        return FieldViolation(field: path, description: message)
    }
}
