import Foundation

/// A File resource of the Files API, as `files.get` returns it (and wrapped in `{"file": …}` after an upload).
public struct GeminiFile: Decodable, Sendable, Equatable {
    /// `files/{id}`.
    public var name: String
    public var displayName: String?
    public var mimeType: String?
    /// int64, sent as a JSON string.
    public var sizeBytes: Int64?
    public var createTime: Date?
    public var updateTime: Date?
    public var expirationTime: Date?
    /// Base64 of the lowercase hex SHA-256 digest (not of the raw digest).
    public var sha256Hash: String?
    /// What `fileData.fileUri` must carry.
    public var uri: String?
    /// `PROCESSING`, `ACTIVE` or `FAILED`.
    public var state: String?

    public init(
        name: String, mimeType: String? = nil, sizeBytes: Int64? = nil, expirationTime: Date? = nil, sha256Hash: String? = nil,
        uri: String? = nil, state: String? = nil
    ) {
        self.name = name
        self.mimeType = mimeType
        self.sizeBytes = sizeBytes
        self.expirationTime = expirationTime
        self.sha256Hash = sha256Hash
        self.uri = uri
        self.state = state
    }

    /// The lowercase hex digest that `sha256Hash` encodes, if it decodes.
    public var sha256Hex: String? {
        guard let b64 = sha256Hash, let data = Data(base64Encoded: b64) else { return nil }
        return String(data: data, encoding: .utf8)?.lowercased()
    }

    private enum Keys: String, CodingKey {
        case name, displayName, mimeType, sizeBytes, createTime, updateTime, expirationTime, sha256Hash, uri, state
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        mimeType = try c.decodeIfPresent(String.self, forKey: .mimeType)
        sizeBytes = try c.flexibleInt(.sizeBytes).map(Int64.init)
        createTime = try c.decodeIfPresent(String.self, forKey: .createTime).flatMap(RFC3339.parse)
        updateTime = try c.decodeIfPresent(String.self, forKey: .updateTime).flatMap(RFC3339.parse)
        expirationTime = try c.decodeIfPresent(String.self, forKey: .expirationTime).flatMap(RFC3339.parse)
        sha256Hash = try c.decodeIfPresent(String.self, forKey: .sha256Hash)
        uri = try c.decodeIfPresent(String.self, forKey: .uri)
        state = try c.decodeIfPresent(String.self, forKey: .state)
    }
}

/// `files.list`'s page.
public struct FileList: Decodable, Sendable {
    public var files: [GeminiFile]?
    public var nextPageToken: String?
}

/// RFC 3339 timestamps with 0 to 9 fractional digits, as proto3 JSON writes them.
public enum RFC3339 {
    public static func parse(_ text: String) -> Date? {
        // Split off the fraction: ISO8601DateFormatter handles at most milliseconds reliably.
        var main = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let rest = text[text.index(after: dot)...]
            let digits = rest.prefix { $0.isNumber }
            fraction = Double("0." + digits) ?? 0
            main = String(text[..<dot]) + String(rest.dropFirst(digits.count))
        }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: main).map { $0.addingTimeInterval(fraction) }
    }
}
