import Foundation
import GeminiAPI
import Logging

/// The profile requests to each model follow: the catalogue's (``ModelCatalog``), and for an id the catalogue
/// does not know, the profile guessed from its name refined by what `models.get` reports (`thinking`).
///
/// The guess's warning is logged at start (``Configuration/modelWarnings``); the refinement adds one line.
/// Requests that need the profile while `models.get` is under way wait for its answer. A `models.get` that
/// fails leaves the guess in force and is asked again at most every 10 minutes.
public actor ModelProfiles {
    let client: GeminiClient
    let logger: Logger
    private var refined: [String: ModelProfile] = [:]
    private var asking: [String: Task<ModelProfile, Never>] = [:]
    private var failedAt: [String: Date] = [:]

    public init(client: GeminiClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func profile(for id: String) async -> ModelProfile {
        let guess = ModelCatalog.profile(for: id)
        guard guess.status == .unknown else { return guess }
        if let known = refined[id] { return known }
        if let pending = asking[id] { return await pending.value }
        if let failed = failedAt[id], Date().timeIntervalSince(failed) < 600 { return guess }
        let task = Task { await self.ask(id, guess: guess) }
        asking[id] = task
        let profile = await task.value
        asking[id] = nil
        return profile
    }

    private func ask(_ id: String, guess: ModelProfile) async -> ModelProfile {
        do {
            let model = try await client.getModel(id)
            let profile = guess.refined(thinkingReported: model.thinking == true)
            refined[id] = profile
            logger.notice(
                "model \(id): models.get reports \(model.thinking == true ? "a thinking model" : "no thinking"); requests follow thinking \(ModelsTable.thinking(profile.thinking)), image tokens \(ModelsTable.tokens(profile.imageCost))"
            )
            return profile
        } catch {
            failedAt[id] = Date()
            logger.debug("model \(id): models.get failed (\(error.shortCode)); its profile stays guessed from its name")
            return guess
        }
    }
}
