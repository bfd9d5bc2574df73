import Foundation

/// The whole effective configuration, after defaults. Built by `ConfigLoader`; never holds the API key itself.
public struct Configuration: Sendable, Equatable {
    public var api: APISettings
    public var state: StateSettings
    public var images: ImageSettings
    public var folders: [FolderSettings]
    public var prompts: [String: PromptSettings]
    /// The file it was read from, for messages.
    public var sourcePath: String

    /// One sentence per configured model that should not be used (routed, closed, shut down, an alias, or
    /// unknown to the profiles), for `config check` and the journal at start.
    public var modelWarnings: [String] {
        let models = Set([api.model] + prompts.values.map { $0.effectiveModel(default: api.model) })
        return models.sorted().compactMap { ModelCatalog.profile(for: $0).warning }
    }

    /// The watched folder whose root is `path`, or that holds it (watched folders are never nested).
    public func folder(owning path: String) -> FolderSettings? {
        folders.first { $0.path == path } ?? folders.first { path.hasPrefix($0.path + "/") }
    }
}
