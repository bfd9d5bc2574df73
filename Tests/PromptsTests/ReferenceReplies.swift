import Foundation

/// The verbatim model replies in `shared/reference/gemini-examples`, found beside the repository.
///
/// The repository is a sibling of `shared/` (CI), or sits one level deeper (`/work/wt/<name>`):
/// each parent of the repository is tried in turn.
enum ReferenceReplies {
    static let directory: URL = {
        var folder = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        while folder.path != "/" {
            folder = folder.deletingLastPathComponent()
            let candidate = folder.appending(path: "shared/reference/gemini-examples")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return URL(filePath: "/work/shared/reference/gemini-examples")
    }()

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appending(path: name), encoding: .utf8)
    }

    /// Every `spatial_*` file in the folder, so a new payload is never silently left out.
    static func spatialFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("spatial_") }
            .sorted()
    }
}
