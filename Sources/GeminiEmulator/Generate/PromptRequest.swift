import Foundation

/// One media part of a prompt, with its bytes.
struct MediaInput: Sendable {
    var mimeType: String
    /// The bytes of images (which the emulator looks at); empty for other media, which it only weighs.
    var data: Data
    var byteCount: Int
    /// `files/<id>` when it came by `fileData`, nil when inline.
    var fileName: String?
    /// Per-part `mediaResolution.level` / `numTokens`.
    var resolution: String?
    var explicitTokens: Int?

    var isImage: Bool { mimeType.lowercased().hasPrefix("image/") }
}

/// A generateContent or countTokens request read off the wire, files resolved.
struct PromptRequest: Sendable {
    var model: String
    /// Text of the user's parts, in order.
    var texts: [String] = []
    var systemText: String = ""
    var media: [MediaInput] = []
    /// Kinds of all parts in order (`text`, `inlineData`, `fileData`, ...).
    var partKinds: [String] = []
    var responseMimeType: String?
    var responseSchema: WireJSON?
    var maxOutputTokens: Int?
    var thinkingBudget: Int?
    var thinkingLevel: String?
    var includeThoughts = false
    var mediaResolution: String?
    /// Top-level `serviceTier` (`flex`, `standard`, `priority`; python-genai sends it lowercase).
    var serviceTier: String?

    var promptText: String { texts.joined(separator: "\n") }

    static let supportedMimePrefixes = [
        "image/png", "image/jpeg", "image/webp", "image/heic", "image/heif",
        "audio/", "video/", "text/", "application/pdf", "application/json",
    ]

    /// Reads the normalized request; fetches `fileData` files from `files`.
    static func read(_ request: WireJSON, model: String, files: FileStore) async throws(GoogleError) -> PromptRequest {
        var prompt = PromptRequest(model: model)
        guard let contents = request["contents"]?.arrayValue, !contents.isEmpty else {
            throw .invalidArgument("* GenerateContentRequest.contents: contents is not specified\n")
        }
        for (contentIndex, content) in contents.enumerated() {
            let parts = content["parts"]?.arrayValue ?? []
            if parts.isEmpty {
                throw .invalidArgument("* GenerateContentRequest.contents[\(contentIndex)].parts: contents.parts must not be empty.\n")
            }
            for (partIndex, part) in parts.enumerated() {
                try await prompt.add(part, path: "contents[\(contentIndex)].parts[\(partIndex)]", files: files)
            }
        }
        if let system = request["systemInstruction"]?["parts"]?.arrayValue {
            prompt.systemText = system.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        }
        let config = request["generationConfig"]
        prompt.responseMimeType = config?["responseMimeType"]?.stringValue
        prompt.responseSchema = config?["responseJsonSchema"] ?? config?["responseSchema"]
        prompt.maxOutputTokens = config?["maxOutputTokens"]?.intValue.map(Int.init)
        prompt.thinkingBudget = config?["thinkingConfig"]?["thinkingBudget"]?.intValue.map(Int.init)
        prompt.thinkingLevel = config?["thinkingConfig"]?["thinkingLevel"]?.stringValue
        prompt.includeThoughts = config?["thinkingConfig"]?["includeThoughts"]?.boolValue ?? false
        prompt.mediaResolution = config?["mediaResolution"]?.stringValue
        prompt.serviceTier = request["serviceTier"]?.stringValue
        return prompt
    }

    private mutating func add(_ part: WireJSON, path: String, files: FileStore) async throws(GoogleError) {
        let resolution = part["mediaResolution"]?["level"]?.stringValue
        let explicitTokens = part["mediaResolution"]?["numTokens"]?.intValue.map(Int.init)
        if let text = part["text"]?.stringValue, part["thought"]?.boolValue != true {
            partKinds.append("text")
            texts.append(text)
        } else if let blob = part["inlineData"] {
            partKinds.append("inlineData")
            let mime = blob["mimeType"]?.stringValue ?? ""
            try Self.checkMime(mime)
            let encoded = blob["data"]?.stringValue ?? ""
            guard let data = LenientBase64.decode(encoded) else {
                throw .badRequest(
                    InvalidRequest(violations: [
                        FieldViolation(
                            field: "\(path).inline_data.data",
                            description:
                                "Invalid value at '\(path).inline_data.data' (TYPE_BYTES), Base64 decoding failed for \"\(encoded.prefix(40))\""
                        )
                    ]))
            }
            media.append(
                MediaInput(
                    mimeType: mime, data: data, byteCount: data.count, fileName: nil,
                    resolution: resolution, explicitTokens: explicitTokens))
        } else if let fileData = part["fileData"] {
            partKinds.append("fileData")
            let uri = fileData["fileUri"]?.stringValue ?? ""
            let id = Self.fileID(fromURI: uri)
            guard let file = await files.liveFile(id) else { throw .fileDenied(id) }
            guard file.isActive(at: files.now) else { throw .fileNotActive(id) }
            let mime = fileData["mimeType"]?.stringValue ?? file.mimeType
            try Self.checkMime(mime)
            var bytes = Data()
            if mime.lowercased().hasPrefix("image/") {
                guard let stored = await files.bytes(of: id) else { throw .fileDenied(id) }
                bytes = stored
            }
            media.append(
                MediaInput(
                    mimeType: mime, data: bytes, byteCount: Int(file.sizeBytes), fileName: "files/\(id)",
                    resolution: resolution, explicitTokens: explicitTokens))
        } else if let kind = part.objectPairs?.first?.0 {
            partKinds.append(kind)
        }
    }

    private static func checkMime(_ mime: String) throws(GoogleError) {
        let lower = mime.lowercased()
        guard supportedMimePrefixes.contains(where: { lower.hasPrefix($0) }) else {
            throw .invalidArgument("Unsupported MIME type: \(mime)")
        }
    }

    /// The id in `https://host/v1beta/files/<id>`, `files/<id>` or a bare id.
    static func fileID(fromURI uri: String) -> String {
        let withoutQuery = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        if let range = withoutQuery.range(of: "files/", options: .backwards) {
            return String(withoutQuery[range.upperBound...])
        }
        return withoutQuery
    }
}
