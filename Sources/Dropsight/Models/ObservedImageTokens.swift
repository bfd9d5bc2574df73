import Imaging
import Store

/// The IMAGE tokens the API counted per image, by model and media resolution (`usageMetadata.promptTokensDetails`).
///
/// On profiles whose image cost does not depend on the image's size, an observed count replaces the rule in
/// every later estimate: the API is the truth, the rule only a first guess. Size-dependent counts (the tile
/// rule) are not kept, since one count would not describe other sizes.
public struct ObservedImageTokens: Sendable, Equatable {
    struct Key: Hashable, Sendable {
        var model: String
        var level: String
    }
    private var counts: [Key: Int] = [:]

    public init(_ records: [ImageTokenRecord] = []) {
        for r in records { counts[Key(model: r.model, level: r.mediaResolution)] = r.tokens }
    }

    /// The Store's name for `resolution`: its setting, or `default` when none is sent.
    public static func level(_ resolution: MediaResolution?) -> String { resolution?.rawValue ?? "default" }

    public func count(model: String, resolution: MediaResolution?) -> Int? {
        counts[Key(model: model, level: Self.level(resolution))]
    }

    mutating func set(_ tokens: Int, model: String, resolution: MediaResolution?) {
        counts[Key(model: model, level: Self.level(resolution))] = tokens
    }

    /// Estimated tokens of one `width` x `height` image sent to `profile`'s model at `resolution`.
    public func imageTokens(profile: ModelProfile, width: Int, height: Int, resolution: MediaResolution?) -> Int {
        if profile.imageCost != .tiles, let seen = count(model: profile.id, resolution: resolution) { return seen }
        return profile.imageTokens(width: width, height: height, resolution: resolution)
    }

    /// Estimated tokens of a prepared copy sent with `prompt`'s media resolution.
    public func tokens(of copy: PreparedImage, profile: ModelProfile, for prompt: PromptSettings) -> Int {
        imageTokens(profile: profile, width: copy.width, height: copy.height, resolution: prompt.mediaResolution)
    }
}
