import Foundation
import Synchronization

/// Why a fault script was refused, naming the rule and the field.
struct FaultScriptError: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The installed fault rules; each request takes the first rule that matches it.
///
/// Script format (JSON): a list of rules, or `{"faults": [...]}`. A rule:
/// `{"route": "generateContent", "model": "...", "promptContains": "...", "command": "upload",
///   "skip": 0, "count": 1, "action": "status", "status": 503, "message": "...",
///   "retryAfterSeconds": 26, "delayMs": 0, "afterBytes": 1048576}`.
/// `action` is one of status, delay, drop, maxTokens, blocked, garbage, safety, midStreamError; a rule with
/// `status` and no `action` is a status rule.
final class FaultScript: Sendable {
    private let rules = Mutex<[FaultRule]>([])

    /// Replaces the installed rules.
    func install(_ newRules: [FaultRule]) {
        rules.withLock { $0 = newRules }
    }

    var remaining: [FaultRule] {
        rules.withLock { $0 }
    }

    /// The rule catching this request, if any; counts it against the rule.
    func take(_ probe: FaultProbe) -> FaultRule? {
        rules.withLock { list in
            for index in list.indices where list[index].matches(probe) {
                if list[index].skip > 0 {
                    list[index].skip -= 1
                    return nil
                }
                let rule = list[index]
                list[index].count -= 1
                if list[index].count <= 0 { list.remove(at: index) }
                return rule
            }
            return nil
        }
    }

    static func parse(_ data: Data) throws -> [FaultRule] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(data)
        } catch {
            throw FaultScriptError(message: "The fault script is not JSON: \(error.reason) (byte \(error.offset)).")
        }
        let list = document["faults"]?.arrayValue ?? document.arrayValue
        guard let list else {
            throw FaultScriptError(message: "A fault script is a JSON list of rules or {\"faults\": [...]}.")
        }
        return try list.enumerated().map { index, item in try parseRule(item, index: index) }
    }

    private static func parseRule(_ item: JSONValue, index: Int) throws -> FaultRule {
        func fail(_ what: String) -> FaultScriptError {
            FaultScriptError(message: "Fault rule \(index): \(what).")
        }
        guard let pairs = item.objectPairs else { throw fail("must be an object") }
        let known: Set = ["route", "model", "promptContains", "command", "skip", "count", "action", "status",
                          "message", "retryAfterSeconds", "delayMs", "afterBytes"]
        if let unknown = pairs.first(where: { !known.contains($0.0) }) {
            throw fail("unknown field \"\(unknown.0)\" (known: \(known.sorted().joined(separator: ", ")))")
        }
        let routeName = item["route"]?.stringValue ?? "any"
        guard let route = FaultRule.Route(rawValue: routeName) else {
            throw fail("route \"\(routeName)\" is not one of \(FaultRule.Route.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let status = item["status"]?.intValue.map(Int.init)
        let actionName = item["action"]?.stringValue ?? (status != nil ? "status" : "delay")
        let action: FaultRule.Action
        switch actionName {
        case "status":
            guard let status, (400...599).contains(status) else { throw fail("action status needs \"status\" between 400 and 599") }
            action = .status(status, message: item["message"]?.stringValue,
                             retryAfterSeconds: item["retryAfterSeconds"]?.doubleValue ?? 26)
        case "delay": action = .delay
        case "drop": action = .drop(afterBytes: item["afterBytes"]?.intValue)
        case "maxTokens": action = .maxTokens
        case "blocked": action = .blocked
        case "garbage": action = .garbage
        case "safety": action = .safety
        case "midStreamError": action = .midStreamError(status ?? 500)
        default:
            throw fail("action \"\(actionName)\" is not one of status, delay, drop, maxTokens, blocked, garbage, safety, midStreamError")
        }
        let count = Int(item["count"]?.intValue ?? 1)
        guard count >= 1 else { throw fail("count must be at least 1") }
        return FaultRule(
            route: route, model: item["model"]?.stringValue, promptContains: item["promptContains"]?.stringValue,
            command: item["command"]?.stringValue, skip: Int(item["skip"]?.intValue ?? 0), count: count,
            action: action, delayMilliseconds: Int(item["delayMs"]?.intValue ?? 0)
        )
    }
}
