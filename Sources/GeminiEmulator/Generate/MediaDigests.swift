import Crypto
import Foundation

/// Fingerprints of a request's media for the request log, so a driver can tell the same image
/// sent twice.
enum MediaDigests {
    /// Lowercase hex SHA-256 of each media part in `contents`, in order: `inlineData` of its
    /// decoded bytes, `fileData` of the stored file (`missing` when it does not exist or expired).
    ///
    /// `request` is normalized (camelCase keys); undecodable inline data gets `undecodable`.
    static func of(_ request: WireJSON, files: FileStore) async -> [String] {
        var digests: [String] = []
        for content in request["contents"]?.arrayValue ?? [] {
            for part in content["parts"]?.arrayValue ?? [] {
                if let blob = part["inlineData"] {
                    guard let data = LenientBase64.decode(blob["data"]?.stringValue ?? "") else {
                        digests.append("undecodable")
                        continue
                    }
                    digests.append(hex(SHA256.hash(data: data)))
                } else if let fileData = part["fileData"] {
                    let id = PromptRequest.fileID(fromURI: fileData["fileUri"]?.stringValue ?? "")
                    digests.append(await files.liveFile(id)?.sha256Hex ?? "missing")
                }
            }
        }
        return digests
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
