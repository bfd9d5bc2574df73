import Foundation
import Logging
import Store

/// Books the IMAGE tokens each reply reports, per model and media resolution, in memory and in the Store,
/// so every later estimate (and the next start) uses them (``ObservedImageTokens``).
///
/// Says once per model and level, in a warning, when the API's count and the profile's rule differ by more
/// than 10 %.
public actor ImageTokenBook {
    let store: Store
    let logger: Logger
    private var observed: ObservedImageTokens?
    private var warned: Set<String> = []

    public init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// What has been observed so far (read from the Store the first time).
    public func current() async -> ObservedImageTokens {
        if let observed { return observed }
        let records = (try? await store.imageTokenRecords()) ?? []
        let loaded = observed ?? ObservedImageTokens(records)
        observed = loaded
        return loaded
    }

    /// Books one reply: `imageTokens` IMAGE tokens for `images` images sent to `profile`'s model at `resolution`.
    public func observe(profile: ModelProfile, resolution: MediaResolution?, images: Int, imageTokens: Int?, at now: Date) async {
        guard let imageTokens, images > 0, profile.imageCost != .tiles else { return }
        var book = await current()
        let perImage = Int((Double(imageTokens) / Double(images)).rounded())
        guard book.count(model: profile.id, resolution: resolution) != perImage else { return }
        book.set(perImage, model: profile.id, resolution: resolution)
        observed = book
        let level = ObservedImageTokens.level(resolution)
        do {
            try await store.recordImageTokens(
                ImageTokenRecord(model: profile.id, mediaResolution: level, tokens: perImage, observedAt: now))
        } catch {
            logger.debug("could not keep the image token count of \(profile.id): \(error)")
        }
        let rule = profile.imageTokens(width: 0, height: 0, resolution: resolution)
        guard abs(perImage - rule) * 10 > rule, warned.insert(profile.id + "|" + level).inserted else { return }
        logger.warning(
            "model \(profile.id) at media resolution \(level): the API counts \(perImage) tokens per image where dropsight's rule says \(rule); estimates use \(perImage) from now on"
        )
    }
}
