import Glibc

/// The names in a directory, read with `readdir` so that names which are not UTF-8 keep their bytes
/// (in `PathBytes` form).
public enum DirectoryNames {
    /// The names in the directory open at `descriptor` (left open), without `.` and `..`; nil if it cannot
    /// be read.
    public static func names(inDirectory descriptor: Int32) -> [String]? {
        let copy = dup(descriptor)
        guard copy >= 0 else { return nil }
        guard lseek(copy, 0, SEEK_SET) == 0, let dir = fdopendir(copy) else {
            close(copy)
            return nil
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = Self.name(of: entry)
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The name of a `readdir` entry, in `PathBytes` form.
    public static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafePointer(to: &entry.pointee.d_name) { tuple in
            tuple.withMemoryRebound(to: CChar.self, capacity: 256) { PathBytes.string(cString: $0) }
        }
    }

    /// The names in the directory at `path` (a link to a directory is followed); nil if it cannot be read.
    public static func names(atPath path: String) -> [String]? {
        let descriptor = PathBytes.withCString(path) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return names(inDirectory: descriptor)
    }
}
