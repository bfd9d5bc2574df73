import Foundation
import GeminiAPI
import Prompts

/// The sidecar `IMG.jpg.dropsight.json`, version 1. Field names are snake_case; `docs/sidecar.md` explains them and
/// `docs/sidecar.schema.json` is the contract (a test validates every sidecar the tests produce against it).
public struct Sidecar: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    /// The largest sidecar read back; a bigger file there is not one of ours.
    public static let maxBytes = 256 << 20

    public var schemaVersion: Int = Sidecar.currentVersion
    public var image: ImageFacts
    /// Prompt name → its result.
    public var prompts: [String: PromptResult]

    public init(image: ImageFacts, prompts: [String: PromptResult]) {
        self.image = image
        self.prompts = prompts
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case image, prompts
    }

    /// Facts about the image file itself.
    public struct ImageFacts: Codable, Sendable, Equatable {
        /// The file name (no folder).
        public var file: String
        public var bytes: Int64
        /// Lowercase hex SHA-256 of the file's bytes.
        public var sha256: String
        /// From the content, not the extension. Nil when the content is not a supported image.
        public var mimeType: String?
        /// Upright dimensions (after EXIF orientation), as a person sees the picture.
        public var width: Int?
        public var height: Int?
        /// EXIF orientation, 1-8 (1 = upright already).
        public var orientation: Int?

        public init(
            file: String, bytes: Int64, sha256: String, mimeType: String? = nil, width: Int? = nil, height: Int? = nil,
            orientation: Int? = nil
        ) {
            self.file = file
            self.bytes = bytes
            self.sha256 = sha256
            self.mimeType = mimeType
            self.width = width
            self.height = height
            self.orientation = orientation
        }

        enum CodingKeys: String, CodingKey {
            case file, bytes, sha256
            case mimeType = "mime_type"
            case width, height, orientation
        }
    }

    /// Encodes with sorted keys and two-space indentation, ready to write.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
