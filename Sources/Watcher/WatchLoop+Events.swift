#if canImport(Glibc)
    import Glibc
#endif

extension WatchLoop {
    /// Applies one inotify event to the watches and the settle timers.
    func handle(_ event: InotifyEvent) {
        if event.has(IN_Q_OVERFLOW) {
            overflow(reason: "inotify event queue overflowed")
            return
        }
        guard let dir = watches[event.wd] else { return }
        if event.has(IN_IGNORED) {
            watches[event.wd] = nil
            if watchByPath[dir.path] == event.wd { watchByPath[dir.path] = nil }
            if dir.path == dir.root { rootVanished(dir.root) }
            return
        }
        if event.name.isEmpty {
            if dir.path == dir.root, event.has(IN_DELETE_SELF) || event.has(IN_MOVE_SELF) || event.has(IN_UNMOUNT) {
                rootVanished(dir.root)
            }
            return
        }
        guard let root = roots[dir.root] else { return }
        let path = dir.path + "/" + event.name
        if root.filter.skips(name: event.name, path: path, root: dir.root) { return }

        if event.has(IN_ISDIR) {
            if event.has(IN_DELETE) || event.has(IN_MOVED_FROM) {
                removeWatches(under: path)
                cancelPending(under: path)
                emit(.removed(path: path, folder: dir.root))
            }
            if event.has(IN_CREATE) || event.has(IN_MOVED_TO) {
                addTree(path, root: dir.root, listFiles: true)
            }
        } else if event.has(IN_DELETE) || event.has(IN_MOVED_FROM) {
            pending[path] = nil
            emit(.removed(path: path, folder: dir.root))
        } else {
            touch(path, root: dir.root, mask: event.mask)
        }
    }

    /// (Re)starts a file's settle timer; `mask` 0 for a file found by listing a new directory.
    func touch(_ path: String, root: String, mask: UInt32) {
        guard let settle = roots[root]?.spec.settle else { return }
        var writing = pending[path]?.writing ?? false
        if mask & UInt32(IN_MODIFY) != 0 { writing = true }
        if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 { writing = false }
        let quiet = writing ? max(settle, Self.stillOpenQuiet) : settle
        pending[path] = PendingFile(root: root, deadline: clock.now.advanced(by: quiet), writing: writing)
    }

    func cancelPending(under path: String) {
        let prefix = path + "/"
        pending = pending.filter { $0.key != path && !$0.key.hasPrefix(prefix) }
    }

    /// Events were lost: re-walk every watched folder (to watch directories made meanwhile), then ask for rescans.
    func overflow(reason: String) {
        logger.warning("\(reason); rescanning every watched folder")
        for (path, root) in roots.sorted(by: { $0.key < $1.key }) {
            guard case .watched = root.mode else { continue }
            addTree(path, root: path, listFiles: false)
            if case .watched = roots[path]?.mode {
                emit(.rescan(folder: path, reason: reason))
            }
        }
    }
}
