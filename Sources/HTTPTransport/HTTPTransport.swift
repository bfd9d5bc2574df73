/// Something that sends HTTP requests; `CurlTransport` in production, a stand-in in tests.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the complete response.
    ///
    /// Throws `TransportError` when no complete response arrived (including `.cancelled` when the
    /// calling task is cancelled). An HTTP error status is returned, not thrown.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
