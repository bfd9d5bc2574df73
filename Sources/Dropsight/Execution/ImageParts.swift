import Foundation
import GeminiAPI
import Imaging

/// Chooses how each image of a request travels (inline base64 or Files API) and builds its parts.
///
/// `auto`: inline when the whole request stays under `inline_max_bytes` (base64 growth and every part
/// counted) and the copy is used by this one request; otherwise upload once and send `fileData`.
public struct ImageParts: Sendable {
    public var policy: TransportPolicy
    public var inlineMaxBytes: Int
    public var files: FileCache?
    /// Reuse an earlier upload only with this much life left; nil: `file_reuse_margin` (see ``FileCache``).
    public var fileLifeNeeded: Duration?

    public init(policy: TransportPolicy, inlineMaxBytes: Int, files: FileCache?, fileLifeNeeded: Duration? = nil) {
        self.policy = policy
        self.inlineMaxBytes = inlineMaxBytes
        self.files = files
        self.fileLifeNeeded = fileLifeNeeded
    }

    /// One image to send: its prepared copy and how many requests use that same copy.
    public struct Input: Sendable {
        public var copy: PreparedImage
        public var displayName: String
        public var uses: Int
        /// The watched image this is a copy of (its uploads are released when it is done); nil for references.
        public var image: String?
        public init(copy: PreparedImage, displayName: String, uses: Int, image: String? = nil) {
            self.copy = copy
            self.displayName = displayName
            self.uses = uses
            self.image = image
        }
    }

    /// Bytes of the JSON request when every image used by this request alone goes inline (and the shared ones
    /// travel as `fileData` references).
    static func inlineRequestSize(_ inputs: [Input], textBytes: Int) -> Int {
        var total = textBytes + 512
        for input in inputs {
            total += input.uses <= 1 ? (input.copy.data.count + 2) / 3 * 4 + 96 : 256
        }
        return total
    }

    /// The parts, in order, and how each image travelled (`inline` or `file`), plus uploaded file names.
    public func parts(for inputs: [Input], textBytes: Int) async throws -> (parts: [Part], transport: [String], files: [String]) {
        let fitsInline = Self.inlineRequestSize(inputs, textBytes: textBytes) <= inlineMaxBytes
        var parts: [Part] = []
        var transport: [String] = []
        var names: [String] = []
        for input in inputs {
            let inline: Bool
            switch policy {
            case .inline: inline = true
            case .files: inline = false
            case .auto: inline = fitsInline && input.uses <= 1
            }
            // Without a file cache (no Files API available) everything goes inline.
            if !inline, let files {
                let f = try await files.file(
                    for: input.copy.data, mimeType: input.copy.mimeType, displayName: input.displayName,
                    forImage: input.image, lifeNeeded: fileLifeNeeded)
                parts.append(.fileData(mimeType: f.mimeType, uri: f.uri))
                transport.append("file")
                names.append(f.name)
            } else {
                parts.append(.inlineData(mimeType: input.copy.mimeType, data: input.copy.data))
                transport.append("inline")
            }
        }
        return (parts, transport, names)
    }
}
