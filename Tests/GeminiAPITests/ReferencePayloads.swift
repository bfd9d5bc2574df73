import Foundation

/// The real payloads in `shared/reference/gemini-examples/`, which sits beside the repository.
enum ReferencePayloads {
    /// The nearest `shared/reference/gemini-examples` above this file (CI puts `shared/` beside the clone).
    static let directory: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("shared/reference/gemini-examples")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "/work/shared/reference/gemini-examples")
    }()

    static func names(prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasPrefix(prefix) }.sorted()
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// The response bodies of a js-genai recording (`interactions[].response.bodySegments[]`).
    static func recordedResponses(_ name: String) throws -> (status: Int, bodies: [Data]) {
        let json = try JSONSerialization.jsonObject(with: data(name)) as! [String: Any]
        let interaction = (json["interactions"] as! [[String: Any]])[0]
        let response = interaction["response"] as! [String: Any]
        let segments = response["bodySegments"] as! [Any]
        let bodies = try segments.map { try JSONSerialization.data(withJSONObject: $0) }
        return (response["statusCode"] as! Int, bodies)
    }
}
