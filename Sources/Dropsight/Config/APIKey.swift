import Foundation

/// Finds the API key: `GEMINI_API_KEY`, else `$CREDENTIALS_DIRECTORY/gemini-api-key` (systemd `LoadCredential=`),
/// else `[api] key_file`. The key is only ever handed to the HTTP header; it is never logged or stored.
public enum APIKey {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where the key came from, for log lines (never the key itself).
    public enum Source: String, Sendable {
        case environment = "GEMINI_API_KEY"
        case credential = "systemd credential"
        case keyFile = "key_file"
    }

    public static func resolve(keyFile: String?, environment: [String: String]) throws -> (key: String, source: Source) {
        if let k = environment["GEMINI_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !k.isEmpty {
            return (k, .environment)
        }
        if let dir = environment["CREDENTIALS_DIRECTORY"], let k = readKey(dir + "/gemini-api-key") {
            return (k, .credential)
        }
        if let keyFile {
            guard let k = readKey(keyFile) else {
                throw Missing(description: "the API key file \(keyFile) cannot be read or is empty")
            }
            return (k, .keyFile)
        }
        throw Missing(
            description: "no API key: set GEMINI_API_KEY, use systemd LoadCredential=gemini-api-key:..., or set key_file in [api]")
    }

    private static func readKey(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        else { return nil }
        return text
    }
}
