import Foundation
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

    /// `GET /v1beta/models`, every page: what the key can see (listed is not the same as callable).
    public func listModels() async throws(GeminiError) -> [GeminiModel] {
        var models: [GeminiModel] = []
        var token: String?
        repeat {
            let query =
                "pageSize=1000"
                + (token.map { "&pageToken=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
            let page = try decode(GeminiModelList.self, from: try await send(method: "GET", path: "/v1beta/models?" + query))
            models += page.models ?? []
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil && models.count < 10_000
        return models
    }
}
