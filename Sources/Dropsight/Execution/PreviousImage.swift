import FileAccess
import Foundation
import Imaging

/// The image just before this one in its folder, by file name (camera names sort in shooting order).
enum PreviousImage {
    static func find(before path: String, promptNames: Set<String>) -> String? {
        let dir = PathText.directory(of: path)
        let name = PathText.name(of: path)
        guard let names = DirectoryNames.names(atPath: dir) else { return nil }
        let candidates = names.filter { n in
            n < name && !n.hasPrefix(".") && !OutputNames.isOwnOutput(dir + "/" + n, promptNames: promptNames) && isImage(dir + "/" + n)
        }
        return candidates.max().map { dir + "/" + $0 }
    }

    /// A regular file whose first bytes are one of the supported image formats.
    static func isImage(_ path: String) -> Bool {
        let descriptor = PathBytes.withCString(path) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        var header = [UInt8](repeating: 0, count: ImageProbe.headerLength)
        let count = read(descriptor, &header, header.count)
        return count > 0 && ImageProbe.sniff(Array(header.prefix(count))) != nil
    }
}
