import Foundation
import GeminiAPI
import HTTPTransport
import Imaging
import Logging
import Store
import Systemd

/// What the daemon and the one-shot commands share once the configuration is read: the API client,
/// the Store (queue, results, uploads) and the upload cache.
public struct Runtime: Sendable {
    public let configuration: Configuration
    public let client: GeminiClient
    public let store: Store
    public let files: FileCache
    /// Profiles of the configured models, unknown ids refined by `models.get`.
    public let profiles: ModelProfiles
    /// The IMAGE tokens replies reported, for later estimates.
    public let imageTokens: ImageTokenBook
    public let logger: Logger

    /// Starts libvips and libcurl, opens the Store and resolves the API key. The key is never logged; only its source is.
    public init(
        configuration: Configuration, environment: [String: String], logger: Logger,
        transport: (any HTTPTransport)? = nil
    ) throws {
        Imaging.routeWarnings(to: logger)
        let (key, source) = try APIKey.resolve(keyFile: configuration.api.keyFile, environment: environment)
        LogSetup.registerSecret(key)
        logger.debug("API key from \(source.rawValue)")
        self.configuration = configuration
        self.logger = logger
        let http: any HTTPTransport = try transport ?? CurlTransport()
        client = GeminiClient(
            transport: http, baseURL: configuration.api.baseURL, apiKey: key,
            timeout: configuration.api.requestTimeout)
        store = try Store(path: configuration.state.databasePath, maxAttempts: configuration.api.maxAttempts)
        files = FileCache(
            client: client, store: store, stateDir: configuration.state.dir,
            reuseMargin: configuration.api.fileReuseMargin, logger: logger)
        profiles = ModelProfiles(client: client, logger: logger)
        imageTokens = ImageTokenBook(store: store, logger: logger)
    }

    /// A prompt runner for `config` (the one in force, which a reload may replace).
    public func runner(for config: Configuration) -> PromptRunner {
        runner(for: config, parts: ImageParts(policy: config.api.transport, inlineMaxBytes: config.api.inlineMaxBytes, files: files))
    }

    /// A prompt runner for batch requests: every image goes through the Files API (a JSONL line stays small), and
    /// an earlier upload is reused only when it outlives the batch (answered within 24 hours) by `file_reuse_margin`.
    public func batchRunner(for config: Configuration) -> PromptRunner {
        runner(
            for: config,
            parts: ImageParts(
                policy: .files, inlineMaxBytes: config.api.inlineMaxBytes, files: files,
                fileLifeNeeded: .seconds(24 * 3600) + config.api.fileReuseMargin))
    }

    private func runner(for config: Configuration, parts: ImageParts) -> PromptRunner {
        PromptRunner(
            client: client, defaultModel: config.api.model,
            parts: parts,
            maxPixels: config.images.maxPixels, maxFileBytes: config.images.maxFileBytes, promptNames: Set(config.prompts.keys),
            autoSideCaps: config.api.autoMaxSide, profiles: profiles, imageTokens: imageTokens, logger: logger)
    }
}

extension FolderSettings {
    /// How many of this folder's prompts send the same copy as `prompt` (same resolution): more than one favours an upload.
    func uses(of prompt: PromptSettings, in config: Configuration) -> Int {
        prompts.compactMap { config.prompts[$0] }.filter { $0.resolution == prompt.resolution }.count
    }
}
