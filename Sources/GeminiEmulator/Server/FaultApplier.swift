import Hummingbird

/// Applies the parts of a fault rule every route shares: latency, error statuses, drops.
///
/// `cutOff` is applied by `EmulatorResponder` to whatever answer the handler builds.
struct FaultApplier {
    let services: EmulatorServices

    /// Takes the rule matching `probe`, waits its delay, and answers for it when it ends the
    /// request; otherwise returns the rule (or nil) for the handler to apply.
    func apply(_ probe: FaultProbe, entry: inout LoggedRequest) async -> (outcome: HandlerOutcome?, rule: FaultRule?) {
        guard let hit = services.faults.take(probe) else { return (nil, nil) }
        let rule = hit.rule
        entry.fault = rule.action.name
        if hit.delayMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(hit.delayMilliseconds))
        }
        switch rule.action {
        case .status(let code, let message, let retryAfter):
            let error = GoogleError.forStatus(code, message: message, model: probe.model ?? "", retryAfterSeconds: retryAfter)
            return (.respond(WireResponse.error(error)), rule)
        case .drop(let afterBytes) where afterBytes == nil || probe.route != .upload:
            return (.drop, rule)
        case .midStreamError(let code) where probe.route != .streamGenerateContent:
            let error = GoogleError.forStatus(code, message: nil, model: probe.model ?? "", retryAfterSeconds: 26)
            return (.respond(WireResponse.error(error)), rule)
        default:
            return (nil, rule)
        }
    }
}
