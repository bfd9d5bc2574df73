import Foundation
import Logging
import ServiceLifecycle
import Store
import Watcher

/// Turns what the watcher sees into queued jobs: new and changed files are hashed and enqueued,
/// removed ones leave the queue, overflows and new folders are rescanned, and at start every image
/// without a current sidecar is found by a reconciliation scan.
public final class Intake: Service, Sendable {
    let settings: SettingsHolder
    let store: Store
    let watcher: FolderWatcher
    let publisher: SidecarPublisher
    let wakeup: Wakeup
    let logger: Logger
    let progress: ProgressCounter
    /// Called once the start-up scan has queued everything (systemd READY=1 waits for it).
    let onReady: @Sendable () -> Void

    init(settings: SettingsHolder, store: Store, watcher: FolderWatcher, publisher: SidecarPublisher, wakeup: Wakeup,
         logger: Logger, progress: ProgressCounter, onReady: @escaping @Sendable () -> Void) {
        self.settings = settings
        self.store = store
        self.watcher = watcher
        self.publisher = publisher
        self.wakeup = wakeup
        self.logger = logger
        self.progress = progress
        self.onReady = onReady
    }

    /// The watcher opens with a `.rescan` per folder once its watches are in place; the start-up
    /// reconciliation runs on that event, so nothing created meanwhile is missed. READY follows when
    /// every configured folder has been scanned (or found missing: it is looked for again later).
    public func run() async throws {
        var awaiting = Set(settings.current.folders.map(\.path).filter { FileManager.default.fileExists(atPath: $0) })
        for f in settings.current.folders where !awaiting.contains(f.path) {
            logger.warning("watched folder \(f.path) does not exist (yet); it is looked for again every 30 s")
        }
        var announced = false
        func settle(_ folder: String) {
            awaiting.remove(folder)
            if awaiting.isEmpty && !announced { announced = true; onReady() }
        }
        if awaiting.isEmpty { settle("") }
        for await event in watcher.events.cancelOnGracefulShutdown() {
            switch event {
            case let .ready(path, folder):
                await take(path: path, folder: folder)
            case let .removed(path, folder):
                let n = (try? await store.drop(imagePath: path)) ?? 0
                if n > 0 { logger.notice("dropped from the queue: \(path) was deleted or moved away before its turn (\(n) job(s))") }
                if path == folder {
                    logger.warning("watched folder \(folder) is missing; it is looked for again every 30 s")
                    settle(folder)
                }
            case let .rescan(folder, reason):
                await reconcile(folder: folder, reason: reason == "watching started" ? "start-up scan" : reason)
                settle(folder)
            }
            progress.bump()
        }
    }

    /// The prompts a folder runs, with the hashes that make old results stale.
    func promptSpecs(_ folder: FolderSettings, _ config: Configuration) -> [PromptSpec] {
        folder.prompts.compactMap { name in
            config.prompts[name].map { PromptSpec(name: name, hash: $0.definitionHash(defaultModel: config.api.model)) }
        }
    }

    private func folderSettings(_ path: String, _ config: Configuration) -> FolderSettings? {
        config.folders.first { $0.path == path } ?? config.folders.first { path.hasPrefix($0.path + "/") }
    }

    /// Hashes and enqueues one file that has settled.
    func take(path: String, folder: String) async {
        let config = settings.current
        guard let f = folderSettings(folder, config) else { return }
        do {
            let facts = try await BlockingWork.run { try Self.facts(path: path, folder: f.path) }
            let queued = try await store.enqueue(facts, prompts: promptSpecs(f, config), now: Date())
            if queued > 0 {
                logger.info("queued \((path as NSString).lastPathComponent) for \(queued) prompt(s)", metadata: ["dropsight.image": "\(path)"])
                wakeup.ring()
            }
        } catch {
            logger.warning("cannot queue \(path): \(error)", metadata: ["dropsight.image": "\(path)"])
        }
    }

    /// Enqueues every file of `folder` whose results are not current; files whose size and mtime match
    /// the Store are not hashed again. Sidecars missing on disk for finished images are rewritten.
    func reconcile(folder: String, reason: String) async {
        let config = settings.current
        guard let f = folderSettings(folder, config) else { return }
        let started = ContinuousClock.now
        let specs = promptSpecs(f, config)
        let promptNames = Set(config.prompts.keys)
        do {
            let files = try await BlockingWork.run {
                try FolderScanner.scan(folder: f.path, skip: { isOwnOutput($0, promptNames: promptNames) }, ignoreGlobs: f.ignore)
            }
            let known = try await store.fingerprints(folder: f.path)
            var stale: [ImageFacts] = []
            var unpublished: [String] = []
            for file in files {
                if let fp = known[file.path], fp.isCurrent(size: file.size, mtimeNs: file.mtimeNs, prompts: specs) {
                    let location = OutputLocation(imagePath: file.path, folderRoot: f.path, outputDir: f.outputDir)
                    if !FileManager.default.fileExists(atPath: location.sidecarPath) { unpublished.append(file.path) }
                    continue
                }
                if let facts = try? await BlockingWork.run({ try Self.facts(path: file.path, folder: f.path) }) {
                    stale.append(facts)
                }
            }
            var queued = 0
            for chunk in stride(from: 0, to: stale.count, by: 500) {
                queued += try await store.enqueue(Array(stale[chunk..<min(chunk + 500, stale.count)]), prompts: specs, now: Date())
            }
            for path in unpublished { await republish(path: path, folder: f, config: config) }
            let ms = (ContinuousClock.now - started).components
            logger.info("\(reason) of \(f.path): \(files.count) file(s), \(queued) job(s) queued, \(unpublished.count) sidecar(s) rewritten in \(ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000) ms")
            if queued > 0 { wakeup.ring() }
        } catch {
            logger.error("\(reason) of \(f.path) failed: \(error)")
        }
    }

    private func republish(path: String, folder: FolderSettings, config: Configuration) async {
        let location = OutputLocation(imagePath: path, folderRoot: folder.path, outputDir: folder.outputDir)
        let facts: Sidecar.ImageFacts
        do {
            facts = try await BlockingWork.run { try ImageSubject(path: path, maxPixels: config.images.maxPixels).facts }
        } catch let rejected as ImageSubject.Rejected {
            facts = rejected.facts
        } catch {
            return
        }
        try? await publisher.publish(facts: facts, imagePath: path, location: location, prompts: config.prompts, defaultModel: config.api.model)
    }

    /// Size, mtime and SHA-256 of a file, not following symlinks.
    static func facts(path: String, folder: String) throws -> ImageFacts {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        let mtimeNs = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        let sha = (st.st_mode & S_IFMT) == S_IFREG ? try FileHash.sha256Hex(path: path) : ""
        return ImageFacts(path: path, folder: folder, size: Int64(st.st_size), mtimeNs: mtimeNs, sha256: sha)
    }
}
