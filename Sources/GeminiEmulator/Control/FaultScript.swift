import Foundation
import Synchronization

/// Why a fault script was refused, naming the rule and the field.
struct FaultScriptError: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A fault script as read from JSON: its rules and, if it names one, the seed of its rolls.
struct ParsedFaultScript: Sendable, Equatable {
    var rules: [FaultRule]
    var seed: UInt64?
}

/// A rule that caught a request, with the latency drawn for it.
struct FaultHit: Sendable {
    var rule: FaultRule
    var delayMilliseconds: Int
}

/// The installed fault rules; each request takes the first rule that matches it.
///
/// Script format (JSON): a list of rules, or `{"seed": N, "faults": [...]}`. A rule:
/// `{"route": "generateContent", "model": "...", "promptContains": "...", "command": "upload",
///   "skip": 0, "count": 1, "probability": 0.1, "action": "status", "status": 503, "message": "...",
///   "retryAfterSeconds": 26, "delayMs": 0, "delayMaxMs": 500, "afterBytes": 1048576}`.
/// `action` is one of status, delay, drop, maxTokens, blocked, garbage, safety, midStreamError, cutOff;
/// a rule with `status` and no `action` is a status rule. Probability rolls and random delays come
/// from a SplitMix64 generator seeded by the script's `seed`, else by the emulator's seed.
final class FaultScript: Sendable {
    private struct State {
        var rules: [FaultRule]
        var random: SplitMix64
    }

    private let defaultSeed: UInt64
    private let state: Mutex<State>

    /// `defaultSeed` seeds the rolls of scripts that carry no seed of their own.
    init(defaultSeed: UInt64) {
        self.defaultSeed = defaultSeed
        state = Mutex(State(rules: [], random: SplitMix64(seed: defaultSeed)))
    }

    /// Replaces the installed rules and restarts the generator from the script's seed.
    func install(_ script: ParsedFaultScript) {
        let random = SplitMix64(seed: script.seed ?? defaultSeed)
        state.withLock { $0 = State(rules: script.rules, random: random) }
    }

    var remaining: [FaultRule] {
        state.withLock { $0.rules }
    }

    /// The rule catching this request, if any; counts it against the rule.
    ///
    /// A matching rule first lets its `skip` requests through; then a rule with a probability rolls,
    /// and a failed roll moves on to the next rule.
    func take(_ probe: FaultProbe) -> FaultHit? {
        state.withLock { state in
            for index in state.rules.indices where state.rules[index].matches(probe) {
                if state.rules[index].skip > 0 {
                    state.rules[index].skip -= 1
                    return nil
                }
                let rule = state.rules[index]
                if let probability = rule.probability, !state.random.chance(probability) { continue }
                if let count = rule.count {
                    if count <= 1 {
                        state.rules.remove(at: index)
                    } else {
                        state.rules[index].count = count - 1
                    }
                }
                var delay = rule.delayMilliseconds
                if let maximum = rule.delayMaxMilliseconds, maximum > delay {
                    delay = state.random.uniform(delay...maximum)
                }
                return FaultHit(rule: rule, delayMilliseconds: delay)
            }
            return nil
        }
    }

    static func parse(_ data: Data) throws -> ParsedFaultScript {
        let document: WireJSON
        do {
            document = try WireJSONParser.parse(data)
        } catch {
            throw FaultScriptError(message: "The fault script is not JSON: \(error.reason) (byte \(error.offset)).")
        }
        let list = document["faults"]?.arrayValue ?? document.arrayValue
        guard let list else {
            throw FaultScriptError(message: "A fault script is a JSON list of rules or {\"seed\": N, \"faults\": [...]}.")
        }
        var seed: UInt64?
        if let seedValue = document["seed"] {
            guard let number = seedValue.intValue, number >= 0 else {
                throw FaultScriptError(message: "The fault script's seed must be a whole number of at least 0.")
            }
            seed = UInt64(number)
        }
        let rules = try list.enumerated().map { index, item in try parseRule(item, index: index) }
        return ParsedFaultScript(rules: rules, seed: seed)
    }

    private static func parseRule(_ item: WireJSON, index: Int) throws -> FaultRule {
        func fail(_ what: String) -> FaultScriptError {
            FaultScriptError(message: "Fault rule \(index): \(what).")
        }
        guard let pairs = item.objectPairs else { throw fail("must be an object") }
        let known: Set = [
            "route", "model", "promptContains", "command", "skip", "count", "probability", "action",
            "status", "message", "retryAfterSeconds", "delayMs", "delayMaxMs", "afterBytes",
        ]
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
            action = .status(
                status, message: item["message"]?.stringValue,
                retryAfterSeconds: item["retryAfterSeconds"]?.doubleValue ?? 26)
        case "delay": action = .delay
        case "drop": action = .drop(afterBytes: item["afterBytes"]?.intValue)
        case "maxTokens": action = .maxTokens
        case "blocked": action = .blocked
        case "garbage": action = .garbage
        case "safety": action = .safety
        case "midStreamError": action = .midStreamError(status ?? 500)
        case "cutOff": action = .cutOff
        default:
            throw fail(
                "action \"\(actionName)\" is not one of status, delay, drop, maxTokens, blocked, garbage, safety, midStreamError, cutOff")
        }
        var probability: Double?
        if let value = item["probability"] {
            guard let number = value.doubleValue, number > 0, number <= 1 else {
                throw fail("probability must be greater than 0 and at most 1")
            }
            probability = number
        }
        var count: Int? = probability == nil ? 1 : nil
        if let value = item["count"] {
            guard let number = value.intValue, number >= 1 else { throw fail("count must be at least 1") }
            count = Int(number)
        }
        let delay = Int(item["delayMs"]?.intValue ?? 0)
        guard delay >= 0 else { throw fail("delayMs must be at least 0") }
        var delayMax: Int?
        if let value = item["delayMaxMs"] {
            guard let number = value.intValue, number >= delay else {
                throw fail("delayMaxMs must be a whole number of at least delayMs (\(delay))")
            }
            delayMax = Int(number)
        }
        return FaultRule(
            route: route, model: item["model"]?.stringValue, promptContains: item["promptContains"]?.stringValue,
            command: item["command"]?.stringValue, skip: Int(item["skip"]?.intValue ?? 0), count: count,
            probability: probability, action: action, delayMilliseconds: delay, delayMaxMilliseconds: delayMax
        )
    }
}
