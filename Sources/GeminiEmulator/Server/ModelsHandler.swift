import Hummingbird

/// `GET /v1beta/models` and `GET /v1beta/models/{model}` for the configured models.
struct ModelsHandler {
    let services: EmulatorServices

    func list() -> Response {
        WireResponse.json(.object([("models", .array(services.configuration.models.map(resource)))]))
    }

    func get(_ model: String) -> Response {
        guard services.configuration.models.contains(model) else {
            return WireResponse.error(.modelNotFound(model, method: "get"))
        }
        return WireResponse.json(resource(model))
    }

    private func resource(_ model: String) -> WireJSON {
        .object([
            ("name", .string("models/\(model)")),
            ("displayName", .string(model)),
            ("inputTokenLimit", .int(1_048_576)),
            ("outputTokenLimit", .int(65_536)),
            ("supportedGenerationMethods", .array(["generateContent", "countTokens", "streamGenerateContent"].map(WireJSON.string))),
            ("thinking", .bool(ThinkingPlan.isThinkingModel(model))),
        ])
    }
}
