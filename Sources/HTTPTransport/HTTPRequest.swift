/// One HTTP request: what to send and how long to wait for it.
public struct HTTPRequest: Sendable {
    /// The method token, e.g. `GET`, `POST`, `PUT`.
    public var method: String
    /// An absolute `http://` or `https://` URL.
    public var url: String
    /// Header fields, sent in this order. `Expect: 100-continue` is always suppressed.
    public var headers: [HTTPHeader]
    public var body: HTTPBody
    /// How long to wait for the TCP and TLS handshakes. Default 10 s.
    public var connectTimeout: Duration
    /// How long the whole exchange may take, from start to the last body byte; `nil` waits forever.
    /// Default 300 s.
    public var totalTimeout: Duration?

    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: HTTPBody = .none,
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration? = .seconds(300)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }
}
