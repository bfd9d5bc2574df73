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

    /// The watched folder whose root is `path`, or that holds it (watched folders are never nested).
    public func folder(owning path: String) -> FolderSettings? {
        folders.first { $0.path == path } ?? folders.first { path.hasPrefix($0.path + "/") }
    }
}
