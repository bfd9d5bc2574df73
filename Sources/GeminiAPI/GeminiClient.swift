import Foundation
import HTTPTransport

/// The Gemini REST API (`v1beta`) over an `HTTPTransport`.
///
/// The API key travels only in the `x-goog-api-key` header, never in a URL.
public struct GeminiClient: Sendable {
    public let transport: any HTTPTransport
    /// Scheme, host and port, without a trailing slash (e.g. `https://generativelanguage.googleapis.com`).
    public let baseURL: String
    /// The key sent with every request, shared by every copy of this client (see ``replaceAPIKey(with:)``).
    let apiKey: APIKeyHolder
    /// Whole-request timeout for JSON calls.
    public var timeout: Duration

    public init(transport: any HTTPTransport, baseURL: String, apiKey: String, timeout: Duration = .seconds(300)) {
        self.transport = transport
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = APIKeyHolder(apiKey)
        self.timeout = timeout
    }

    /// Sends `key` from now on, from this client and every copy of it; true when it differs from the key in force.
    @discardableResult
    public func replaceAPIKey(with key: String) -> Bool {
        apiKey.replace(with: key)
    }

    /// `POST /v1beta/models/{model}:generateContent`.
    public func generateContent(model: String, request: GenerateContentRequest) async throws(GeminiError) -> GenerateContentResponse {
        let body: HTTPBody
        do { body = try InlineBody.encode(request) } catch {
            throw GeminiError(code: .malformedResponse, message: "could not encode the request: \(error)")
        }
        let response = try await naming(model) { () async throws(GeminiError) -> HTTPResponse in
            try await send(method: "POST", path: "/v1beta/\(Self.modelPath(model)):generateContent", body: body)
        }
        return try decode(GenerateContentResponse.self, from: response)
    }

    /// Runs a call about `model`, its errors tagged with the model (see ``GeminiError/accountProblem``).
    func naming<T>(_ model: String, _ call: () async throws(GeminiError) -> T) async throws(GeminiError) -> T {
        do {
            return try await call()
        } catch {
            var tagged = error
            tagged.model = model
            throw tagged
        }
    }

    /// `models/NAME` for a bare model id; names that already carry a collection prefix are kept.
    static func modelPath(_ model: String) -> String {
        model.contains("/") ? model : "models/\(model)"
    }

    /// Sends a JSON request with the key header and returns the 2xx response, or throws the typed error.
    func send(method: String, path: String, json: Data? = nil, extraHeaders: [HTTPHeader] = []) async throws(GeminiError) -> HTTPResponse {
        try await send(method: method, path: path, body: json.map { .bytes($0) } ?? .none, extraHeaders: extraHeaders)
    }

    /// ``send(method:path:json:extraHeaders:)`` of a JSON body given as an `HTTPBody` (`.none`: no body).
    func send(method: String, path: String, body: HTTPBody, extraHeaders: [HTTPHeader] = []) async throws(GeminiError) -> HTTPResponse {
        var headers = [HTTPHeader("x-goog-api-key", apiKey.key)]
        if case .none = body {} else { headers.append(HTTPHeader("Content-Type", "application/json")) }
        headers += extraHeaders
        let request = HTTPRequest(method: method, url: baseURL + path, headers: headers, body: body, totalTimeout: timeout)
        return try await perform(request)
    }

    /// Runs one HTTP exchange, mapping transport failures and non-2xx answers to `GeminiError`.
    func perform(_ request: HTTPRequest) async throws(GeminiError) -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as TransportError {
            throw GeminiError(code: .transport, message: error.description, transportRetryable: error.isRetryable)
        } catch {
            throw GeminiError(code: .transport, message: String(describing: error))
        }
        guard (200..<300).contains(response.status) else {
            throw GeminiError.from(
                httpStatus: response.status, body: response.body,
                retryAfterHeader: response.header("Retry-After"))
        }
        return response
    }

    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse) throws(GeminiError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            let preview = String(decoding: response.body.prefix(200), as: UTF8.self)
            throw GeminiError(
                code: .malformedResponse, httpStatus: response.status,
                message: "the answer is not the expected JSON (\(response.body.count) bytes, starts \(preview.debugDescription))")
        }
    }
}
