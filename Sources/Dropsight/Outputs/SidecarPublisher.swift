import Foundation
import Logging
import Store
import XMP

/// Writes an image's sidecar from the Store (every prompt's latest result or failure), one image at a
/// time so two prompts finishing together cannot overwrite each other.
///
/// A finished job's sidecar is written *before* the Store records the job as finished
/// (``record(_:facts:imagePath:location:prompts:defaultModel:storeUpdate:)``): a crash in between leaves
/// the job `running`, so it runs again at the next start, and a job the Store calls finished is
/// always in its sidecar.
///
/// A sidecar that cannot be written (a full disk, a folder made read-only) loses nothing: the outcome
/// is recorded in the Store all the same, the outdated sidecar is removed (so the start-up scan sees
/// it missing and rewrites it, even after a crash), and ``retryUnwritten(config:)`` writes it later.
/// An overlay or mask that could not be written counts the same way: the sidecar waits (so a sidecar
/// on disk always has its outputs beside it), and each retry draws them again from the stored reply.
/// With `xmp = true` the XMP sidecar is written right after the JSON one, from the same results, before
/// the Store records the job: a crash between the two leaves the job to run again.
public struct SidecarPublisher: Sendable {
    let store: Store
    /// The image limits redraws open photos with (those at start; a reload does not change them here).
    let limits: ImageSettings
    let logger: Logger
    let lock = KeyedLock()
    let unwritten = UnwrittenSidecars()

    public init(store: Store, limits: ImageSettings, logger: Logger) {
        self.store = store
        self.limits = limits
        self.logger = logger
    }

    /// Writes the sidecar with `entry` (one prompt's new result or failure) over what the Store holds,
    /// then runs `storeUpdate`, which records that outcome and returns false when the Store refused it
    /// (the image or the prompt changed meanwhile); the sidecar is then rebuilt from the Store alone.
    ///
    /// Returns what `storeUpdate` returned. Throws the sidecar's write error after the Store update ran.
    @discardableResult
    public func record(
        _ entry: (prompt: String, result: PromptResult), facts: Sidecar.ImageFacts, imagePath: String,
        location: OutputLocation, prompts: [String: PromptSettings], defaultModel: String,
        storeUpdate: @escaping @Sendable () async throws -> Bool
    ) async throws -> Bool {
        try await lock.withLock(imagePath) {
            var writeError: (any Error)?
            do {
                try await write(
                    facts: facts, imagePath: imagePath, location: location, prompts: prompts,
                    defaultModel: defaultModel, adding: entry)
            } catch {
                writeError = error
            }
            let accepted = try await storeUpdate()
            if !accepted {
                try? await write(
                    facts: facts, imagePath: imagePath, location: location, prompts: prompts,
                    defaultModel: defaultModel, adding: nil)
            }
            if let writeError { throw writeError }
            return accepted
        }
    }

    /// Rewrites the sidecar of `imagePath` from the Store.
    public func publish(
        facts: Sidecar.ImageFacts, imagePath: String, location: OutputLocation,
        prompts: [String: PromptSettings], defaultModel: String
    ) async throws {
        try await lock.withLock(imagePath) {
            try await write(
                facts: facts, imagePath: imagePath, location: location, prompts: prompts,
                defaultModel: defaultModel, adding: nil)
        }
    }

    /// Tries again the sidecars that could not be written and are due; returns how many of them still cannot be.
    @discardableResult
    public func retryUnwritten(config: Configuration) async -> Int {
        var failed = 0
        for (path, entry) in await unwritten.due(at: .now) {
            do {
                try await publish(
                    facts: entry.facts, imagePath: path, location: entry.location,
                    prompts: config.prompts, defaultModel: config.api.model)
            } catch {
                failed += 1
            }
        }
        return failed
    }

    /// Builds the sidecar (the Store's results and failures, then `adding`) and writes it; on failure removes
    /// the outdated one and remembers the image for ``retryUnwritten(config:)``. Call with the image's lock held.
    private func write(
        facts: Sidecar.ImageFacts, imagePath: String, location: OutputLocation, prompts: [String: PromptSettings],
        defaultModel: String, adding entry: (prompt: String, result: PromptResult)?
    ) async throws {
        let results = try await store.results(imagePath: imagePath)
        let failures = try await store.failures(imagePath: imagePath)
        var entries: [String: PromptResult] = [:]
        let decoder = JSONDecoder()
        for (name, data) in results where prompts[name] != nil {
            if let r = try? decoder.decode(PromptResult.self, from: data) { entries[name] = r }
        }
        for (name, failure) in failures where entries[name] == nil {
            guard let p = prompts[name] else { continue }
            entries[name] = .failure(failure.message, code: failure.code, prompt: p, defaultModel: defaultModel)
        }
        if let entry { entries[entry.prompt] = entry.result }
        do {
            for (name, result) in entries where name != entry?.prompt && result.pendingOutputs != nil {
                guard let prompt = prompts[name] else { continue }
                entries[name] = try await redraw(result, prompt: prompt, facts: facts, imagePath: imagePath, location: location)
            }
            if let entry, entry.result.pendingOutputs != nil {
                throw OutputsPending(prompt: entry.prompt)
            }
            let sidecar = Sidecar(image: facts, prompts: entries.mapValues { $0.published })
            try await BlockingWork.run { try location.writeSidecar(sidecar) }
            try await writeXMP(sidecar, prompts: prompts, location: location)
            await unwritten.remove(imagePath)
        } catch {
            location.output.remove(name: location.names.sidecar)
            await unwritten.add(imagePath, .init(facts: facts, location: location), permanent: OutputFailure.isPermanent(error))
            throw error
        }
    }

    /// Writes the XMP sidecar from the same results, when the folder has `xmp = true`. A file there that is
    /// not readable XMP is left alone (a warning, the JSON sidecar stands); a write the disk refuses throws,
    /// and the JSON sidecar then waits with it, so the two never disagree for long.
    private func writeXMP(_ sidecar: Sidecar, prompts: [String: PromptSettings], location: OutputLocation) async throws {
        guard location.xmpName != nil else { return }
        do {
            try await BlockingWork.run { try XMPSidecar.write(sidecar, prompts: prompts, location: location) }
        } catch let error as XMPError {
            logger.warning("\(location.xmpPath ?? ""): left as it is, not readable XMP: \(error)")
        }
    }

    /// Draws a result's overlay and masks again from its stored reply and records the result that
    /// names them; throws ``OutputsPending`` while they still cannot be written.
    private func redraw(
        _ stored: PromptResult, prompt: PromptSettings, facts: Sidecar.ImageFacts, imagePath: String,
        location: OutputLocation
    ) async throws -> PromptResult {
        let (root, limits) = (location.folderRoot, limits)
        let subject = try await BlockingWork.run {
            try ImageSubject(path: imagePath, root: root, maxPixels: limits.maxPixels, maxFileBytes: limits.maxFileBytes)
        }
        guard subject.facts.sha256 == facts.sha256 else { return stored }  // the image changed: its jobs run again
        let output = location.output
        let rendered = await BlockingWork.run {
            OutputRenderer.render(
                text: stored.text ?? "", prompt: prompt, model: stored.model, subject: subject, output: output)
        }
        var result = stored
        rendered.apply(to: &result)
        guard result.pendingOutputs == nil else { throw OutputsPending(prompt: prompt.name) }
        try await store.replaceResult(imagePath: imagePath, prompt: prompt.name, result: JSONEncoder().encode(result))
        logger.info("\(facts.file): \(prompt.name) outputs written after an earlier failure")
        return result
    }
}
