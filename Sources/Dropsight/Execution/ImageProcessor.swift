import FileAccess
import Foundation
import GeminiAPI
import Logging

/// Runs every requested prompt on one image and writes its sidecar: the in-memory path used by
/// `dropsight process`. Transient API errors are retried a few times here; the daemon's durable
/// queue does its own retrying instead. An account-level answer throws ``AccountRefusal`` before any sidecar is written.
public struct ImageProcessor: Sendable {
    public let configuration: Configuration
    public let runtime: Runtime
    public let logger: Logger
    /// Tries per prompt for transient errors.
    public var attempts: Int = 4

    public init(runtime: Runtime) {
        self.configuration = runtime.configuration
        self.runtime = runtime
        self.logger = runtime.logger
    }

    /// The sidecar path and whether every prompt ended `ok`.
    public struct Outcome: Sendable {
        public var sidecarPath: String
        public var allOK: Bool
    }

    public func process(path: String, folder: FolderSettings?, promptNames: [String]) async throws -> Outcome {
        let folderRoot = folder?.path ?? PathText.directory(of: path)
        let location = OutputLocation(imagePath: path, folderRoot: folderRoot, outputDir: folder?.outputDir, xmp: folder?.xmp)
        var log = logger
        log[metadataKey: "dropsight.image"] = .string(path)
        let prompts = promptNames.compactMap { configuration.prompts[$0] }

        let subject: ImageSubject
        do {
            let limits = configuration.images
            subject = try await BlockingWork.run {
                try ImageSubject(path: path, maxPixels: limits.maxPixels, maxFileBytes: limits.maxFileBytes)
            }
        } catch let error as ImageSubject.Rejected {
            var results: [String: PromptResult] = [:]
            for p in prompts {
                results[p.name] = .failure(error.message, code: error.code, prompt: p, defaultModel: configuration.api.model)
            }
            try location.writeSidecar(Sidecar(image: error.facts, prompts: results))
            log.warning("rejected: \(error.message)")
            return Outcome(sidecarPath: location.sidecarPath, allOK: false)
        }

        await subject.plan(for: prompts, config: configuration, profiles: runtime.profiles)
        // Keep results of prompts not run this time, when they belong to the same content.
        var results: [String: PromptResult] = [:]
        if let existing = location.readSidecar(), existing.image.sha256 == subject.facts.sha256 {
            results = existing.prompts.filter { configuration.prompts[$0.key] != nil }
        }
        for prompt in prompts {
            var plog = log
            plog[metadataKey: "dropsight.prompt"] = .string(prompt.name)
            let uses = folder?.uses(of: prompt, in: configuration) ?? prompts.filter { $0.resolution == prompt.resolution }.count
            results[prompt.name] = try await runWithRetries(prompt, subject: subject, location: location, uses: uses, logger: plog)
        }
        try location.writeSidecar(Sidecar(image: subject.facts, prompts: results))
        if configuration.api.deleteAfterUse { _ = await runtime.files.releaseUploads(forImage: path) }
        let allOK = prompts.allSatisfy { results[$0.name]?.status == .ok }
        let summary = prompts.map { "\($0.name)=\(results[$0.name]?.status.rawValue ?? "?")" }.joined(separator: " ")
        log.info("processed \(subject.facts.file): \(summary)")
        return Outcome(sidecarPath: location.sidecarPath, allOK: allOK)
    }

    private func runWithRetries(
        _ prompt: PromptSettings, subject: ImageSubject, location: OutputLocation, uses: Int,
        logger: Logger
    ) async throws(AccountRefusal) -> PromptResult {
        let runner = runtime.runner(for: configuration)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await runner.run(prompt, on: subject, output: location.output, uses: uses).result
            } catch {
                if let advice = error.accountAdvice { throw AccountRefusal(advice: advice) }
                if attempt >= attempts {
                    return .failure(
                        "\(error.message) (gave up after \(attempt) attempts)", code: error.shortCode, prompt: prompt,
                        defaultModel: configuration.api.model)
                }
                let delay = error.retryDelay ?? Backoff.delay(attempt: attempt)
                logger.notice("transient error, retrying in \(delay): \(error.description)")
                try? await Task.sleep(for: delay)
            }
        }
    }
}
