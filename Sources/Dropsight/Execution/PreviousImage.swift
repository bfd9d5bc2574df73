import Foundation
import Imaging

/// The image just before this one in its folder, by file name (camera names sort in shooting order).
enum PreviousImage {
    static func find(before path: String, promptNames: Set<String>) -> String? {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return nil }
        let candidates = names.filter { n in
            n < name && !n.hasPrefix(".") && !OutputNames.isOwnOutput(dir + "/" + n, promptNames: promptNames) && isImage(dir + "/" + n)
        }
        return candidates.max().map { dir + "/" + $0 }
    }

    /// A regular file whose first bytes are one of the supported image formats.
    static func isImage(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
            let handle = FileHandle(forReadingAtPath: path)
        else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: ImageProbe.headerLength)) ?? Data()
        return ImageProbe.sniff(Array(header)) != nil
    }
}
