import FileAccess
import Foundation
import Imaging
import Logging
import ServiceLifecycle
import Store
import Watcher

/// Turns what the watcher sees into queued jobs: new and changed files are hashed and enqueued,
/// removed ones leave the queue, overflows and new folders are rescanned, and at start every image
/// without a current sidecar is found by a reconciliation scan.
///
/// A scan (start-up, overflow, reload) cannot tell a finished file from one still being written, so
/// a file modified within the last ``scanQuiet(_:)`` is not taken at once: it is looked at again
/// when it has been quiet that long (the watcher reports it too, if it sees it written meanwhile;
/// taking a file twice is harmless, the queue keys on its content).
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
    /// When this intake started (nanoseconds since 1970): older temporary files were left by an earlier run.
    let startedNs = Intake.nowNs()
    /// Files a scan found still changing, to look at again once quiet.
    private let young: (stream: AsyncStream<YoungFile>, continuation: AsyncStream<YoungFile>.Continuation)

    struct YoungFile: Sendable {
        var path: String
        var folder: String
        var mtimeNs: Int64
        var quiet: Duration
    }

    init(
        settings: SettingsHolder, store: Store, watcher: FolderWatcher, publisher: SidecarPublisher, wakeup: Wakeup,
        logger: Logger, progress: ProgressCounter, onReady: @escaping @Sendable () -> Void
    ) {
        self.settings = settings
        self.store = store
        self.watcher = watcher
        self.publisher = publisher
        self.wakeup = wakeup
        self.logger = logger
        self.progress = progress
        self.onReady = onReady
        young = AsyncStream.makeStream()
    }

    /// The least quiet time before a file found by a scan is taken: its folder's settle time, and at least 2 s.
    static func scanQuiet(_ folder: FolderSettings) -> Duration { max(.milliseconds(folder.settleMs), .seconds(2)) }

    /// The watcher opens with a `.rescan` per folder once its watches are in place; the start-up
    /// reconciliation runs on that event, so nothing created meanwhile is missed. READY follows when
    /// every configured folder has been scanned (or found missing: it is looked for again later).
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await self.consumeEvents()
                self.young.continuation.finish()
            }
            for await file in young.stream {
                group.addTask { await self.takeWhenQuiet(file) }
            }
            group.cancelAll()
        }
    }

    private func consumeEvents() async {
        var awaiting = Set(settings.current.folders.map(\.path).filter { PathBytes.exists($0, followingLinks: true) })
        for f in settings.current.folders where !awaiting.contains(f.path) {
            logger.warning("watched folder \(f.path) does not exist (yet); it is looked for again every 30 s")
        }
        var announced = false
        func settle(_ folder: String) {
            awaiting.remove(folder)
            if awaiting.isEmpty && !announced {
                announced = true
                onReady()
            }
        }
        if awaiting.isEmpty { settle("") }
        for await event in watcher.events.cancelOnGracefulShutdown() {
            switch event {
            case .ready(let path, let folder):
                await take(path: path, folder: folder)
            case .removed(let path, let folder):
                let n = (try? await store.drop(imagePath: path)) ?? 0
                if n > 0 { logger.notice("dropped from the queue: \(path) was deleted or moved away before its turn (\(n) job(s))") }
                if path == folder {
                    logger.warning("watched folder \(folder) is missing; it is looked for again every 30 s")
                    settle(folder)
                }
            case .rescan(let folder, let reason):
                let startUp = reason == "watching started"
                await reconcile(folder: folder, reason: startUp ? "start-up scan" : reason)
                settle(folder)
                if startUp { await removeCrashLeftovers(folder) }
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

    /// Hashes and enqueues one file that has settled.
    func take(path: String, folder: String) async {
        let config = settings.current
        guard let f = config.folder(owning: folder) else { return }
        do {
            let facts = try await BlockingWork.run { try Self.facts(path: path, folder: f.path, maxFileBytes: config.images.maxFileBytes) }
            let queued = try await store.enqueue(facts, prompts: promptSpecs(f, config), now: Date())
            if queued > 0 {
                logger.debug(
                    "queued \((path as NSString).lastPathComponent) for \(queued) prompt(s)", metadata: ["dropsight.image": "\(path)"])
                wakeup.ring()
            }
        } catch {
            logger.warning("cannot queue \(path): \(error)", metadata: ["dropsight.image": "\(path)"])
        }
    }

    /// Waits until a file a scan found still changing has been quiet long enough, then takes it.
    private func takeWhenQuiet(_ file: YoungFile) async {
        var file = file
        while true {
            let age = Duration.nanoseconds(Self.nowNs() - file.mtimeNs)
            if age < file.quiet {
                do { try await Task.sleep(for: file.quiet - age) } catch { return }
            }
            let path = file.path
            guard let current = try? await BlockingWork.run({ try Self.stamp(path) }) else { return }  // gone
            if current == file.mtimeNs { break }
            file.mtimeNs = current
        }
        await take(path: file.path, folder: file.folder)
    }

    /// Enqueues every file of `folder` whose results are not current, and forgets images no longer there.
    ///
    /// Files whose size and mtime match the Store are not hashed again. Sidecars missing on disk for
    /// finished images are rewritten from the Store.
    func reconcile(folder: String, reason: String) async {
        let config = settings.current
        guard let f = config.folder(owning: folder) else { return }
        let started = ContinuousClock.now
        let specs = promptSpecs(f, config)
        let promptNames = Set(config.prompts.keys)
        let quiet = Self.scanQuiet(f)
        do {
            let scan = try await FolderScanner.files(
                in: f.path, skip: { OutputNames.isOwnOutputQuick($0, promptNames: promptNames) },
                ignoreGlobs: f.ignore)
            for problem in scan.unreadable { logger.warning("\(reason) of \(f.path): \(problem)") }
            let known = try await store.fingerprints(folder: f.path)
            let plan = await BlockingWork.run {
                Self.plan(scan.files, known: known, specs: specs, folder: f, quiet: quiet, nowNs: Self.nowNs())
            }
            var stale: [ImageRecord] = plan.unchangedContent
            for path in plan.toHash {
                if let facts = try? await BlockingWork.run({
                    try Self.facts(path: path, folder: f.path, maxFileBytes: config.images.maxFileBytes)
                }) {
                    stale.append(facts)
                }
            }
            var queued = 0
            for chunk in stride(from: 0, to: stale.count, by: 500) {
                queued += try await store.enqueue(Array(stale[chunk..<min(chunk + 500, stale.count)]), prompts: specs, now: Date())
            }
            for file in plan.young { young.continuation.yield(file) }
            let unreadable = scan.unreadable.compactMap(\.path)
            var forgotten = 0
            if plan.knownFound < known.count {
                for path in Set(known.keys).subtracting(scan.files.map(\.path)).sorted()
                where !unreadable.contains(where: { path.hasPrefix($0 + "/") }) && !PathBytes.exists(path) {
                    forgotten += (try? await store.forget(imagePath: path)) ?? 0
                }
            }
            for path in plan.unpublished { await republish(path: path, folder: f, config: config) }
            let ms = (ContinuousClock.now - started).components
            logger.info(
                """
                \(reason) of \(f.path): \(scan.files.count) file(s), \(queued) job(s) queued, \(plan.young.count) still changing, \
                \(forgotten) gone, \(plan.unpublished.count) sidecar(s) rewritten in \(ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000) ms
                """)
            if queued > 0 { wakeup.ring() }
        } catch {
            logger.error("\(reason) of \(f.path) failed: \(error)")
        }
    }

    /// What a scan found, sorted by what must happen to each file.
    struct ScanPlan: Sendable {
        /// Known content (size and mtime match the Store) with a stale or missing result: no need to hash.
        var unchangedContent: [ImageRecord] = []
        /// New or changed files.
        var toHash: [String] = []
        /// Modified too recently to be sure they are complete.
        var young: [YoungFile] = []
        /// Current results whose sidecar (or XMP sidecar, with `xmp = true`) is missing on disk.
        var unpublished: [String] = []
        /// How many of the files the Store knows were found (fewer: some are gone).
        var knownFound = 0
    }

    static func plan(
        _ files: [ScannedFile], known: [String: Fingerprint], specs: [PromptSpec], folder: FolderSettings,
        quiet: Duration, nowNs: Int64
    ) -> ScanPlan {
        let quietNs = quiet.components.seconds * 1_000_000_000 + quiet.components.attoseconds / 1_000_000_000
        var plan = ScanPlan()
        for file in files {
            let fingerprint = known[file.path]
            if fingerprint != nil { plan.knownFound += 1 }
            if let fp = fingerprint, fp.size == file.size, fp.mtimeNs == file.mtimeNs {
                if fp.isCurrent(size: file.size, mtimeNs: file.mtimeNs, prompts: specs) {
                    if !PathBytes.exists(sidecarPath(of: file.path, in: folder)) || !hasXMP(file.path, folder) {
                        plan.unpublished.append(file.path)
                    }
                } else {
                    plan.unchangedContent.append(
                        ImageRecord(
                            path: file.path, folder: folder.path, size: file.size,
                            mtimeNs: file.mtimeNs, sha256: fp.sha256))
                }
            } else if nowNs - file.mtimeNs < quietNs {
                plan.young.append(YoungFile(path: file.path, folder: folder.path, mtimeNs: file.mtimeNs, quiet: quiet))
            } else {
                plan.toHash.append(file.path)
            }
        }
        return plan
    }

    /// Where the sidecar of `path` goes (``OutputLocation/sidecarPath``, quicker when it is beside the image).
    static func sidecarPath(of path: String, in folder: FolderSettings) -> String {
        guard folder.outputDir != nil else { return path + OutputNames.sidecarSuffix }
        return OutputLocation(imagePath: path, folderRoot: folder.path, outputDir: folder.outputDir).sidecarPath
    }

    /// False when the folder wants an XMP sidecar for `path` and it is missing (`xmp = true` set on a
    /// folder done before): the sidecars are then published again, which writes it.
    private static func hasXMP(_ path: String, _ folder: FolderSettings) -> Bool {
        guard folder.xmp != nil else { return true }
        let location = OutputLocation(imagePath: path, folderRoot: folder.path, outputDir: folder.outputDir, xmp: folder.xmp)
        return location.xmpPath.map { PathBytes.exists($0, followingLinks: true) } ?? true
    }

    private func republish(path: String, folder: FolderSettings, config: Configuration) async {
        let location = OutputLocation(imagePath: path, folderRoot: folder.path, outputDir: folder.outputDir, xmp: folder.xmp)
        let facts: Sidecar.ImageFacts
        do {
            let limits = config.images
            facts = try await BlockingWork.run {
                try ImageSubject(path: path, root: folder.path, maxPixels: limits.maxPixels, maxFileBytes: limits.maxFileBytes).facts
            }
        } catch let rejected as ImageSubject.Rejected {
            facts = rejected.facts
        } catch {
            return
        }
        do {
            try await publisher.publish(
                facts: facts, imagePath: path, location: location, prompts: config.prompts,
                defaultModel: config.api.model)
        } catch {
            logger.error("cannot rewrite the sidecar of \(path) (kept for later): \(error)")
        }
    }

    /// Size, mtime, SHA-256, device and inode of a file, opened beneath its folder without following links.
    ///
    /// Only regular files of at most `maxFileBytes` are hashed; the job of any other (a link, a FIFO, a file
    /// too large) gets an empty hash and its ``ImageSubject`` says why it is refused.
    static func facts(path: String, folder: String, maxFileBytes: Int64) throws -> ImageRecord {
        if let file = try? ImageFile(path: path, beneath: folder) {
            let sha = Int64(file.size) <= maxFileBytes ? try FileHash.sha256Hex(file: file) : ""
            return ImageRecord(
                path: path, folder: folder, size: Int64(file.size), mtimeNs: file.mtimeNs, sha256: sha, device: file.device,
                inode: file.inode)
        }
        let st = try linkStat(path)
        return ImageRecord(path: path, folder: folder, size: Int64(st.st_size), mtimeNs: st.mtimeNs, sha256: "")
    }

    /// The file's mtime in nanoseconds, not following symlinks.
    static func stamp(_ path: String) throws -> Int64 {
        try linkStat(path).mtimeNs
    }

    /// `lstat` of `path`, or the error saying it is not there.
    private static func linkStat(_ path: String) throws -> stat {
        guard let st = PathBytes.status(of: path) else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        return st
    }

    static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

extension stat {
    var mtimeNs: Int64 { Int64(st_mtim.tv_sec) * 1_000_000_000 + Int64(st_mtim.tv_nsec) }
}
