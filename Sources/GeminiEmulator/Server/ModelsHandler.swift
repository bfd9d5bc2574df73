import Hummingbird

/// `GET /v1beta/models` and `GET /v1beta/models/{model}` for the catalogue's models.
///
/// Catalogue 2026 lists them as the 2026-06-26 capture does (gemini-api-2026.md §1.3),
/// retired ids included (listed is not callable); catalogue 2025 keeps the seed emulator's
/// shorter listing.
struct ModelsHandler {
    let services: EmulatorServices

    func list() -> Response {
        WireResponse.json(.object([("models", .array(services.models.entries.map(resource)))]))
    }

    func get(_ model: String) -> Response {
        guard let entry = services.models.listed(model) else {
            return WireResponse.error(.modelNotFound(model, method: "get"))
        }
        return WireResponse.json(resource(entry))
    }

    private func resource(_ entry: ModelEntry) -> WireJSON {
        let name = "models/\(entry.id)"
        guard services.models.year == .y2026 else {
            return .object([
                ("name", .string(name)),
                ("displayName", .string(entry.displayName)),
                ("inputTokenLimit", .int(1_048_576)),
                ("outputTokenLimit", .int(65_536)),
                ("supportedGenerationMethods", methods(["generateContent", "countTokens", "streamGenerateContent"])),
                ("thinking", .bool(entry.thinks)),
            ])
        }
        return .compactObject([
            ("name", .string(name)),
            ("version", entry.version.map(WireJSON.string)),
            ("displayName", .string(entry.displayName)),
            ("description", .string(entry.displayName)),
            ("inputTokenLimit", .int(1_048_576)),
            ("outputTokenLimit", .int(65_536)),
            ("supportedGenerationMethods", methods(["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"])),
            ("temperature", .int(1)),
            ("topP", .double(0.95)),
            ("topK", .int(64)),
            ("maxTemperature", .int(2)),
            ("thinking", entry.thinks ? .bool(true) : nil),
        ])
    }

    private func methods(_ names: [String]) -> WireJSON {
        .array(names.map(WireJSON.string))
    }
}
