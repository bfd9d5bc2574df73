import FileAccess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Creates the state directory and database file with owner-only permissions.
///
/// SQLite gives the `-wal` and `-shm` files the mode of the database file, so creating the
/// database file 0600 before SQLite opens it keeps all three private.
enum PrivateFiles {
    /// Creates `directory` and missing parents with mode 0700 (existing ones are left as they are).
    static func makeDirectory(_ directory: String, databasePath: String) throws {
        var missing: [String] = []
        var current = directory
        while !current.isEmpty, current != "/", !exists(current) {
            missing.append(current)
            current = PathText.directory(of: current)
        }
        for dir in missing.reversed() {
            let rc = retryingEINTR { mkdir(dir, 0o700) }
            if rc != 0, errno != EEXIST {
                throw failure("create directory \(dir)", databasePath)
            }
        }
    }

    /// Creates `path` 0600 when missing, and narrows it (and its `-wal`, `-shm`) to 0600 when wider.
    static func makePrivateFile(_ path: String) throws {
        let fd = retryingEINTR { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) }
        guard fd >= 0 else { throw failure("create database file", path) }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw failure("make database file private (chmod 600)", path) }
        for companion in [path + "-wal", path + "-shm"] where exists(companion) {
            guard chmod(companion, 0o600) == 0 else { throw failure("chmod 600 \(companion)", path) }
        }
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func retryingEINTR(_ call: () -> Int32) -> Int32 {
        while true {
            let rc = call()
            if rc == -1, errno == EINTR { continue }
            return rc
        }
    }

    private static func failure(_ operation: String, _ path: String) -> StoreError {
        let code = errno
        return StoreError(
            code: .filesystem, operation: operation, path: path, errno: code,
            detail: String(cString: strerror(code)))
    }
}
