import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A temporary file open for writing, standing in for standard error.
final class LogFile {
    let url: URL
    let descriptor: Int32

    init() throws {
        url = FileManager.default.temporaryDirectory.appending(path: "log-\(UUID().uuidString)")
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    deinit {
        close(descriptor)
        try? FileManager.default.removeItem(at: url)
    }

    /// Everything written so far.
    func contents() throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }
}
