import Foundation
import GeminiAPI
import Logging

/// Runs every requested prompt on one image and writes its sidecar: the in-memory path used by
/// `dropsight process`. Transient API errors are retried a few times here; the daemon's durable
/// queue does its own retrying instead.
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
        let folderRoot = folder?.path ?? URL(fileURLWithPath: path).deletingLastPathComponent().path
        let location = OutputLocation(imagePath: path, folderRoot: folderRoot, outputDir: folder?.outputDir)
        var log = logger
        log[metadataKey: "dropsight.image"] = .string(path)
        let prompts = promptNames.compactMap { configuration.prompts[$0] }

        let subject: ImageSubject
        do {
            let limit = configuration.images.maxPixels
            subject = try await BlockingWork.run { try ImageSubject(path: path, maxPixels: limit) }
        } catch let error as ImageSubject.Rejected {
            var results: [String: PromptResult] = [:]
            for p in prompts {
                var r = PromptResult(status: .error, kind: p.kind.rawValue, promptHash: p.definitionHash(defaultModel: configuration.api.model),
                                     model: p.effectiveModel(default: configuration.api.model), completedAt: Date())
                r.error = .init(message: error.message, code: error.code)
                results[p.name] = r
            }
            try location.writeSidecar(Sidecar(image: error.facts, prompts: results))
            log.warning("rejected: \(error.message)")
            return Outcome(sidecarPath: location.sidecarPath, allOK: false)
        }

        // Keep results of prompts not run this time, when they belong to the same content.
        var results: [String: PromptResult] = [:]
        if let existing = location.readSidecar(), existing.image.sha256 == subject.facts.sha256 {
            results = existing.prompts.filter { configuration.prompts[$0.key] != nil }
        }
        for prompt in prompts {
            var plog = log
            plog[metadataKey: "dropsight.prompt"] = .string(prompt.name)
            let uses = folder?.uses(of: prompt, in: configuration) ?? prompts.filter { $0.resolution == prompt.resolution }.count
            results[prompt.name] = await runWithRetries(prompt, subject: subject, location: location, uses: uses, logger: plog)
        }
        try location.writeSidecar(Sidecar(image: subject.facts, prompts: results))
        if configuration.api.deleteAfterUse { _ = await runtime.files.releaseUploads(forImage: path) }
        let allOK = prompts.allSatisfy { results[$0.name]?.status == .ok }
        let summary = prompts.map { "\($0.name)=\(results[$0.name]?.status.rawValue ?? "?")" }.joined(separator: " ")
        log.info("processed \(subject.facts.file): \(summary)")
        return Outcome(sidecarPath: location.sidecarPath, allOK: allOK)
    }

    private func runWithRetries(_ prompt: PromptSettings, subject: ImageSubject, location: OutputLocation, uses: Int,
                                logger: Logger) async -> PromptResult {
        let runner = runtime.runner(for: configuration)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await runner.run(prompt, on: subject, output: location.output, uses: uses).result
            } catch {
                if attempt >= attempts {
                    var r = PromptResult(status: .error, kind: prompt.kind.rawValue, promptHash: prompt.definitionHash(defaultModel: configuration.api.model),
                                         model: prompt.effectiveModel(default: configuration.api.model), completedAt: Date())
                    r.error = .init(message: "\(error.message) (gave up after \(attempt) attempts)", code: error.shortCode)
                    return r
                }
                let delay = error.retryDelay ?? Backoff.delay(attempt: attempt)
                logger.notice("transient error, retrying in \(delay): \(error.description)")
                try? await Task.sleep(for: delay)
            }
        }
    }
}

/// Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at `cap`, each scaled by a random factor in [0.5, 1].
public enum Backoff {
    public static func delay(attempt: Int, base: Duration = .seconds(1), cap: Duration = .seconds(300)) -> Duration {
        let exp = min(Double(1 << min(attempt - 1, 20)), cap / base)
        return base * (exp * Double.random(in: 0.5...1.0))
    }

    /// A wait as people read it in a log line: `2.4 s`, `1 min 30 s`.
    public static func describe(_ wait: Duration) -> String {
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        guard seconds >= 60 else { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return whole % 60 == 0 ? "\(whole / 60) min" : "\(whole / 60) min \(whole % 60) s"
    }
}
