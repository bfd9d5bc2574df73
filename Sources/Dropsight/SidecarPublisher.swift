import Foundation
import Store

/// Rebuilds an image's sidecar from the Store (every prompt's latest result or failure) and writes it,
/// one image at a time so two prompts finishing together cannot overwrite each other.
public struct SidecarPublisher: Sendable {
    let store: Store
    let lock = KeyedLock()

    public init(store: Store) { self.store = store }

    public func publish(facts: Sidecar.ImageFacts, imagePath: String, location: OutputLocation,
                        prompts: [String: PromptSettings], defaultModel: String) async throws {
        try await lock.withLock(imagePath) {
            let results = try await store.results(imagePath: imagePath)
            let failures = try await store.failures(imagePath: imagePath)
            var entries: [String: PromptResult] = [:]
            let decoder = JSONDecoder()
            for (name, data) in results where prompts[name] != nil {
                if let r = try? decoder.decode(PromptResult.self, from: data) { entries[name] = r }
            }
            for (name, failure) in failures where prompts[name] != nil && entries[name] == nil {
                let p = prompts[name]!
                var r = PromptResult(status: .error, kind: p.kind.rawValue, promptHash: p.definitionHash(defaultModel: defaultModel),
                                     model: p.effectiveModel(default: defaultModel), completedAt: Date())
                r.error = .init(message: failure.message, code: failure.code)
                entries[name] = r
            }
            try location.writeSidecar(Sidecar(image: facts, prompts: entries))
        }
    }
}
