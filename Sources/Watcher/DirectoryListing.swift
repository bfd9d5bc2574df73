import FileAccess
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// One entry of a directory, classified without following symlinks.
struct DirectoryEntry {
    enum Kind {
        case file(size: Int64, mtimeNs: Int64)
        case directory
        /// Symlinks, sockets, devices, FIFOs: never reported, never descended.
        case other
    }

    var name: String
    var kind: Kind
}

enum DirectoryListing {
    /// The entries of `path` except `.` and `..`, via readdir, and fstatat for size and mtime.
    ///
    /// With `followLink` false a `path` that is itself a symlink is refused with ELOOP.
    /// With `statFiles` false regular files get size and mtime 0 and cost no fstatat (the file
    /// system's d_type is trusted). An entry that vanishes between readdir and fstatat is left out.
    static func entries(of path: String, followLink: Bool, statFiles: Bool = true) throws(SystemCallError) -> [DirectoryEntry] {
        let dir = try open(path, followLink: followLink)
        defer { closedir(dir) }
        let fd = FileDescriptor(rawValue: dirfd(dir))
        var result: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            let name = DirectoryNames.name(of: entry)
            if name == "." || name == ".." { continue }
            switch type {
            case UInt8(DT_DIR):
                result.append(DirectoryEntry(name: name, kind: .directory))
            case UInt8(DT_REG) where !statFiles:
                result.append(DirectoryEntry(name: name, kind: .file(size: 0, mtimeNs: 0)))
            case UInt8(DT_REG), UInt8(DT_UNKNOWN):
                let stat = PathBytes.withCString(name) { pointer in
                    Result { () throws(Errno) -> Stat in try Stat(pointer, relativeTo: fd, flags: .symlinkNoFollow) }
                }
                guard let info = try? stat.get() else { continue }
                if info.type == .regular {
                    let mtimeNs = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                    result.append(DirectoryEntry(name: name, kind: .file(size: info.size, mtimeNs: mtimeNs)))
                } else if info.type == .directory {
                    result.append(DirectoryEntry(name: name, kind: .directory))
                }
            default:
                result.append(DirectoryEntry(name: name, kind: .other))
            }
        }
        return result
    }

    /// Opens a directory for listing; with `followLink` false a symlink is refused (ELOOP).
    private static func open(_ path: String, followLink: Bool) throws(SystemCallError) -> OpaquePointer {
        let options: FileDescriptor.OpenOptions = followLink ? [.directory, .closeOnExec] : [.directory, .closeOnExec, .noFollow]
        let fd = try SystemCallError.naming("open", path: path) {
            try PathBytes.withCString(path) { pointer in Result { try FileDescriptor.open(pointer, .readOnly, options: options) } }.get()
        }
        guard let dir = fdopendir(fd.rawValue) else {
            let code = Errno(rawValue: errno)
            try? fd.close()
            throw SystemCallError(call: "fdopendir", errno: code, path: path)
        }
        return dir
    }
}
