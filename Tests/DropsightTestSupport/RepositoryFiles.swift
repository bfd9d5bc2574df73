import Foundation

/// Files that sit in, or beside, the repository: found by walking up from a test's source file.
public enum RepositoryFiles {
    /// `relative` below the nearest ancestor folder of `file` that has it.
    ///
    /// Throws ``NotFound`` (which lists every place it looked) when no ancestor has it: there is no
    /// fallback to a machine-specific path.
    public static func locate(_ relative: String, from file: String = #filePath) throws -> URL {
        var looked: [String] = []
        var folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        while true {
            let candidate = folder.appendingPathComponent(relative)
            looked.append(candidate.path)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        throw NotFound(relative: relative, start: file, looked: looked)
    }

    /// A file or folder that is in none of the places it may be.
    public struct NotFound: Error, CustomStringConvertible {
        public let relative: String
        public let start: String
        public let looked: [String]

        public var description: String {
            "\(relative) was not found beside any folder above \(start); looked in:\n  "
                + looked.joined(separator: "\n  ")
        }
    }
}

/// The real Gemini payloads in `shared/reference/gemini-examples`, which sits beside the repository
/// (CI puts `shared/` beside the clone; a worktree may be one level deeper).
public enum ReferenceExamples {
    public static let relativePath = "shared/reference/gemini-examples"

    /// Items counted by hand in each verbatim spatial reply (`spatial_*`): the tests that read every
    /// one check that each has a count here.
    public static let spatialItemCounts = [
        "spatial_detect_cupcakes_fenced_2025-03.txt": 13,
        "spatial_detect_cupcakes_fenced_2026-06.txt": 15,
        "spatial_detect_cupcakes_unfenced_interactions_2026-07.txt": 13,
        "spatial_detect_socks_fenced_2025-03.txt": 2,
        "spatial_detect_socks_fenced_2026-06.txt": 2,
        "spatial_detect_spill_fenced_long_labels_2026-06.txt": 6,
        "spatial_detect_spill_prose_around_fence_2025-03.txt": 4,
        "spatial_segmentation_masks_fenced_2026-06.txt": 15,
    ]

    /// The folder, found by walking up from `file` (the calling test's source file).
    public static func directory(from file: String = #filePath) throws -> URL {
        try RepositoryFiles.locate(relativePath, from: file)
    }

    /// The URL of the example `name` (which must exist).
    public static func url(_ name: String, from file: String = #filePath) throws -> URL {
        let url = try directory(from: file).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingExample(description: "\(relativePath)/\(name) does not exist (folder: \(url.deletingLastPathComponent().path))")
        }
        return url
    }

    public static func data(_ name: String, from file: String = #filePath) throws -> Data {
        try Data(contentsOf: url(name, from: file))
    }

    public static func text(_ name: String, from file: String = #filePath) throws -> String {
        try String(contentsOf: url(name, from: file), encoding: .utf8)
    }

    /// The names of the examples starting with `prefix`, sorted. A test looping over them must also
    /// check that there are as many as it expects: an empty list makes every loop pass.
    public static func names(prefix: String, from file: String = #filePath) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory(from: file).path)
            .filter { $0.hasPrefix(prefix) }
            .sorted()
    }

    /// The response bodies of a js-genai recording (`interactions[].response.bodySegments[]`).
    public static func recordedResponses(_ name: String, from file: String = #filePath) throws -> (status: Int, bodies: [Data]) {
        let json = try JSONSerialization.jsonObject(with: data(name, from: file))
        guard let interaction = ((json as? [String: Any])?["interactions"] as? [[String: Any]])?.first,
            let response = interaction["response"] as? [String: Any],
            let segments = response["bodySegments"] as? [Any],
            let status = response["statusCode"] as? Int
        else {
            throw MissingExample(description: "\(name) is not a js-genai recording with interactions[0].response")
        }
        return (status, try segments.map { try JSONSerialization.data(withJSONObject: $0) })
    }

    public struct MissingExample: Error, CustomStringConvertible {
        public let description: String
    }
}
