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
        let dir = try Syscalls.openDirectory(path, followLink: followLink)
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var result: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            switch type {
            case UInt8(DT_DIR):
                result.append(DirectoryEntry(name: name, kind: .directory))
            case UInt8(DT_REG) where !statFiles:
                result.append(DirectoryEntry(name: name, kind: .file(size: 0, mtimeNs: 0)))
            case UInt8(DT_REG), UInt8(DT_UNKNOWN):
                guard let info = try? Syscalls.statEntry(in: fd, name: name, path: path + "/" + name) else { continue }
                if info.isRegularFile {
                    result.append(DirectoryEntry(name: name, kind: .file(size: Int64(info.st_size), mtimeNs: info.mtimeNs)))
                } else if info.isDirectory {
                    result.append(DirectoryEntry(name: name, kind: .directory))
                }
            default:
                result.append(DirectoryEntry(name: name, kind: .other))
            }
        }
        return result
    }
}
