import Foundation

/// The IMAGE tokens the API counted for one image sent to `model` at `mediaResolution`.
public struct ImageTokenRecord: Sendable, Hashable {
    public var model: String
    /// The `media_resolution` setting (`low`, `medium`, `high`, `ultra_high`), or `default` when none was sent.
    public var mediaResolution: String
    public var tokens: Int
    public var observedAt: Date

    public init(model: String, mediaResolution: String, tokens: Int, observedAt: Date) {
        self.model = model
        self.mediaResolution = mediaResolution
        self.tokens = tokens
        self.observedAt = observedAt
    }
}
