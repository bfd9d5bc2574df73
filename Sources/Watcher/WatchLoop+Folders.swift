import Foundation
import Logging
import SystemPackage

extension WatchLoop {
    /// Makes the watched folders exactly `specs`.
    func apply(_ specs: [WatchSpec]) {
        let wanted = Dictionary(specs.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
        for path in roots.keys.sorted() where wanted[path] == nil {
            removeWatches(under: path)
            cancelPending(under: path)
            roots[path] = nil
            logger.info("stopped watching folder", metadata: ["dropsight.folder": "\(path)"])
        }
        for (path, spec) in wanted.sorted(by: { $0.key < $1.key }) {
            let filter = NameFilter(ignoreGlobs: spec.ignoreGlobs, skip: settings.skip)
            if roots[path] != nil {
                roots[path]?.spec = spec
                roots[path]?.filter = filter
            } else {
                roots[path] = Root(spec: spec, filter: filter, mode: .missing)
                startWatching(path, reason: "watching started")
            }
        }
    }

    /// Watches a folder that is not watched yet; emits `.rescan(reason)` once its watches are in place.
    func startWatching(_ root: String, reason: String) {
        roots[root]?.mode = .watched
        addTree(root, root: root, listFiles: false)
        guard case .watched = roots[root]?.mode else { return }
        if watchByPath[root] != nil {
            roots[root]?.warnedMissing = false
            logger.info("watching folder", metadata: ["dropsight.folder": "\(root)", "dropsight.watches": "\(watches.count)"])
            emit(.rescan(folder: root, reason: reason))
            return
        }
        roots[root]?.mode = .missing
        if roots[root]?.warnedMissing == false {
            roots[root]?.warnedMissing = true
            logger.warning(
                "folder cannot be watched yet; looking for it again every \(settings.pollInterval)",
                metadata: ["dropsight.folder": "\(root)"])
        }
    }

    /// Watches `path` and every directory below it; with `listFiles`, starts a settle timer for each file found.
    ///
    /// Each directory is watched before it is listed, so a file created meanwhile is seen by one or the other.
    func addTree(_ path: String, root: String, listFiles: Bool) {
        guard let filter = roots[root]?.filter else { return }
        var directories = [path]
        while let dir = directories.popLast() {
            do {
                try watch(dir, root: root)
            } catch {
                if dir == root {
                    logger.debug("cannot watch folder: \(error)", metadata: ["dropsight.folder": "\(root)"])
                    return
                }
                switch error.errno {
                case .noSuchFileOrDirectory, .notDirectory, .tooManySymbolicLinkLevels:
                    continue  // gone again, or a symlink / file now: nothing to watch
                case .noSpace:
                    switchToPolling(root)
                    return
                default:
                    logger.warning("cannot watch directory: \(error)", metadata: ["dropsight.folder": "\(root)"])
                    emit(.rescan(folder: root, reason: "could not watch \(dir): \(error)"))
                    continue
                }
            }
            let entries: [DirectoryEntry]
            do {
                entries = try DirectoryListing.entries(of: dir, followLink: dir == root, statFiles: false)
            } catch {
                logger.warning("cannot list directory: \(error)", metadata: ["dropsight.folder": "\(root)"])
                continue
            }
            for entry in entries {
                let child = dir + "/" + entry.name
                switch entry.kind {
                case .directory:
                    if !filter.skips(name: entry.name, path: child, root: root) { directories.append(child) }
                case .file:
                    if listFiles, !filter.skips(name: entry.name, path: child, root: root) {
                        touch(child, root: root, mask: 0)
                    }
                case .other:
                    continue
                }
            }
        }
    }

    private func watch(_ dir: String, root: String) throws(SystemCallError) {
        if let limit = settings.watchLimit, watchByPath[dir] == nil, watches.count >= limit {
            throw SystemCallError(call: "inotify_add_watch", errno: .noSpace, path: dir)
        }
        // The configured folder may itself be a symlink; below it, never follow one.
        let mask = dir == root ? Self.mask : Self.mask | UInt32(IN_DONT_FOLLOW)
        let wd = try inotify.addWatch(dir, mask: mask)
        if let previous = watches[wd], previous.path != dir, watchByPath[previous.path] == wd {
            watchByPath[previous.path] = nil
        }
        watches[wd] = WatchedDirectory(path: dir, root: root)
        watchByPath[dir] = wd
    }

    /// Removes the watches of `path` and of every directory below it.
    func removeWatches(under path: String) {
        let prefix = path + "/"
        for (dir, wd) in watchByPath where dir == path || dir.hasPrefix(prefix) {
            inotify.removeWatch(wd)
            watches[wd] = nil
            watchByPath[dir] = nil
        }
    }

    /// The folder itself was deleted, moved or unmounted: everything below it is gone until it comes back.
    func rootVanished(_ root: String) {
        guard case .watched = roots[root]?.mode else { return }
        removeWatches(under: root)
        cancelPending(under: root)
        roots[root]?.mode = .missing
        logger.warning(
            "watched folder vanished; looking for it again every \(settings.pollInterval)",
            metadata: ["dropsight.folder": "\(root)"])
        roots[root]?.warnedMissing = true
        emit(.removed(path: root, folder: root))
    }

    /// The kernel's watch limit is reached: scan this folder periodically instead.
    func switchToPolling(_ root: String) {
        removeWatches(under: root)
        cancelPending(under: root)
        let seconds = settings.pollInterval.components.seconds
        if !warnedAboutWatchLimit {
            warnedAboutWatchLimit = true
            logger.warning(
                """
                inotify watch limit reached: raise it with `sysctl fs.inotify.max_user_watches=524288` \
                (and in /etc/sysctl.d/ to keep it); until dropsight restarts, folders that could not be watched \
                are scanned every \(seconds) s
                """, metadata: ["dropsight.folder": "\(root)"])
        } else {
            logger.info("folder scanned every \(seconds) s (watch limit)", metadata: ["dropsight.folder": "\(root)"])
        }
        let baseline = currentFiles(root) ?? [:]
        roots[root]?.mode = .polled(baseline)
        emit(.rescan(folder: root, reason: "inotify watch limit reached; scanning every \(seconds) s"))
    }

    /// The periodic pass: scans polled folders, looks for missing ones.
    func poll() {
        for (root, state) in roots.sorted(by: { $0.key < $1.key }) {
            switch state.mode {
            case .watched:
                continue
            case .missing:
                startWatching(root, reason: "folder appeared")
            case .polled(let previous):
                guard let files = currentFiles(root) else { continue }
                let accepted = diff(root, previous: previous, current: files, settle: state.spec.settle)
                roots[root]?.mode = .polled(accepted)
            }
        }
    }

    /// Emits `.ready` for new or changed files already quiet for `settle`, `.removed` for vanished ones;
    /// returns the accepted snapshot (files still changing are left out, to be looked at next time).
    private func diff(
        _ root: String, previous: [String: FileStamp], current: [String: FileStamp],
        settle: Duration
    ) -> [String: FileStamp] {
        let nowNs = Int64(Date().timeIntervalSince1970 * 1e9)
        let settleNs = settle.components.seconds * 1_000_000_000 + settle.components.attoseconds / 1_000_000_000
        var accepted: [String: FileStamp] = [:]
        for (path, stamp) in current.sorted(by: { $0.key < $1.key }) {
            if previous[path] == stamp {
                accepted[path] = stamp
            } else if nowNs - stamp.mtimeNs >= settleNs {
                accepted[path] = stamp
                emit(.ready(path: path, folder: root))
            } else if let old = previous[path] {
                accepted[path] = old
            }
        }
        for path in previous.keys.sorted() where current[path] == nil {
            emit(.removed(path: path, folder: root))
        }
        return accepted
    }

    private func currentFiles(_ root: String) -> [String: FileStamp]? {
        guard let filter = roots[root]?.filter else { return nil }
        do {
            let files = try FolderScanner.scan(folder: root, filter: filter) { error in
                logger.warning("cannot list directory: \(error)", metadata: ["dropsight.folder": "\(root)"])
            }
            return Dictionary(
                files.map { ($0.path, FileStamp(size: $0.size, mtimeNs: $0.mtimeNs)) },
                uniquingKeysWith: { first, _ in first })
        } catch {
            logger.warning("cannot scan folder: \(error)", metadata: ["dropsight.folder": "\(root)"])
            return nil
        }
    }
}
