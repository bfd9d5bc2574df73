import HTTPTransport

extension GeminiClient {
    /// `GET /v1beta/models/{model}`: the cheapest call that needs a valid key and names a model, so it serves
    /// as the probe of an account-level hold. Its errors carry the model, like generateContent's.
    public func getModel(_ model: String) async throws(GeminiError) -> GeminiModel {
        let response = try await naming(model) { () async throws(GeminiError) -> HTTPResponse in
            try await send(method: "GET", path: "/v1beta/\(Self.modelPath(model))")
        }
        return try decode(GeminiModel.self, from: response)
    }
}
