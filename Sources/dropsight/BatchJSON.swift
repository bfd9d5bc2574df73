import Foundation
import Store

/// One batch in `dropsight status --json` (`batches`) and `dropsight batches list --json`.
struct BatchJSON: Encodable {
    /// `batches/{id}`; null until the service named it.
    var name: String?
    var displayName: String
    var requests: Int
    /// What dropsight is doing with it: preparing, creating, running, downloading, publishing, ended.
    var phase: String
    /// The service's last reported state, e.g. `BATCH_STATE_RUNNING`.
    var state: String?
    var outcome: String?
    var createdAt: String
    var ageSeconds: Int

    enum CodingKeys: String, CodingKey {
        case name
        case displayName = "display_name"
        case requests, phase, state, outcome
        case createdAt = "created_at"
        case ageSeconds = "age_seconds"
    }

    init(_ b: BatchRecord, now: Date) {
        name = b.name
        displayName = b.displayName
        requests = b.requests
        phase = b.phase.rawValue
        state = b.remoteState
        outcome = b.outcome
        createdAt = StatusJSON.time(b.createdAt)
        ageSeconds = max(0, Int(now.timeIntervalSince(b.createdAt)))
    }

    /// Encodes with explicit nulls, so a consumer always finds every key.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(displayName, forKey: .displayName)
        try c.encode(requests, forKey: .requests)
        try c.encode(phase, forKey: .phase)
        try c.encode(state, forKey: .state)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(ageSeconds, forKey: .ageSeconds)
    }

    /// One line of text: name, requests, age, state.
    static func line(_ b: BatchRecord, now: Date) -> String {
        let state = b.phase == .ended ? "ended \(b.outcome ?? "")" : "\(b.phase.rawValue) (\(b.remoteState ?? "not created yet"))"
        return "\(b.name ?? b.displayName)  \(b.requests) request(s)  \(StatusCommand.ago(b.createdAt, now)) old  \(state)"
    }
}
