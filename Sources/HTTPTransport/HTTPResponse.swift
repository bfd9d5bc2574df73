#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A complete HTTP response, whatever its status: a 4xx or 5xx is a response, not an error.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The header fields of the final response, in order (the headers of 1xx responses are dropped).
    public var headers: [HTTPHeader]
    /// The body, already decoded when the server compressed it.
    public var body: Data
    /// The protocol version the exchange used: `"1.0"`, `"1.1"`, `"2"` or `"3"`.
    public var httpVersion: String

    public init(status: Int, headers: [HTTPHeader] = [], body: Data = Data(), httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    /// The value of the first header called `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.value(named: name)
    }
}
