import CCurl

extension CurlTransfer {
    /// Sets the easy handle's options for `request`: URL, timeouts, protocol, TLS, callbacks, headers, method.
    func configure(for request: HTTPRequest, configuration: CurlTransport.Configuration) throws(TransportError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_PRIVATE, pointer: UnsafeRawPointer(bitPattern: UInt(id)))
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        try set(CURLOPT_PIPEWAIT, 1)
        try set(CURLOPT_ACCEPT_ENCODING, "")
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeout.wholeMilliseconds))
        try set(CURLOPT_TIMEOUT_MS, request.totalTimeout.map { max(1, $0.wholeMilliseconds) } ?? 0)
        if let caBundlePath = configuration.caBundlePath { try set(CURLOPT_CAINFO, caBundlePath) }

        try check(ds_curl_easy_setopt_write(easy, curlWriteCallback), "CURLOPT_WRITEFUNCTION")
        try set(CURLOPT_WRITEDATA, pointer: context)
        try check(ds_curl_easy_setopt_header(easy, curlHeaderCallback), "CURLOPT_HEADERFUNCTION")
        try set(CURLOPT_HEADERDATA, pointer: context)
        try check(ds_curl_easy_setopt_read(easy, curlReadCallback), "CURLOPT_READFUNCTION")
        try set(CURLOPT_READDATA, pointer: context)
        try check(ds_curl_easy_setopt_seek(easy, curlSeekCallback), "CURLOPT_SEEKFUNCTION")
        try set(CURLOPT_SEEKDATA, pointer: context)
        // The body limit: a declared Content-Length over it is refused at once, the rest counted as it arrives.
        // A body streamed to a response file has none.
        if responseSink == nil { try set(CURLOPT_MAXFILESIZE_LARGE, offset: maxResponseBytes) }
        try check(ds_curl_easy_setopt_xferinfo(easy, curlProgressCallback), "CURLOPT_XFERINFOFUNCTION")
        try set(CURLOPT_XFERINFODATA, pointer: context)
        try set(CURLOPT_NOPROGRESS, 0)

        try setHeaders(request.headers)
        try setMethod(request.method, hasBody: request.body.length > 0)
    }

    /// Sends `headers` in order, plus an empty `Expect:` so curl never waits for `100 Continue`.
    private func setHeaders(_ headers: [HTTPHeader]) throws(TransportError) {
        var lines: [String] = []
        for header in headers {
            guard isToken(header.name) else {
                throw TransportError(
                    code: .invalidRequest, message: "the header name \"\(header.name)\" is not a valid HTTP token", url: url)
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw TransportError(
                    code: .invalidRequest, message: "the value of header \(header.name) holds a line break or NUL", url: url)
            }
            // "Name:" would remove a header curl adds itself; "Name;" sends it with an empty value.
            lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        if headers.value(named: "Expect") == nil { lines.append("Expect:") }
        for line in lines {
            guard let list = curl_slist_append(requestHeaderList, line) else {
                throw TransportError(code: .other, message: "curl_slist_append failed (out of memory?)", url: url)
            }
            requestHeaderList = list
        }
        try check(ds_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, requestHeaderList), "CURLOPT_HTTPHEADER")
    }

    /// Chooses how curl sends the method and the body, so a body always goes with a `Content-Length`.
    ///
    /// PUT uploads with `CURLOPT_INFILESIZE_LARGE`; every other method with a body (and POST or PATCH
    /// without one) posts with `CURLOPT_POSTFIELDSIZE_LARGE`, under a custom method name when not POST.
    private func setMethod(_ method: String, hasBody: Bool) throws(TransportError) {
        guard isToken(method) else {
            throw TransportError(code: .invalidRequest, message: "the method \"\(method)\" is not a valid HTTP token", url: url)
        }
        switch method {
        case "GET" where !hasBody:
            try set(CURLOPT_HTTPGET, 1)
        case "HEAD" where !hasBody:
            try set(CURLOPT_NOBODY, 1)
        case "HEAD":
            throw TransportError(code: .invalidRequest, message: "a HEAD request cannot carry a body", url: url)
        case "PUT":
            try set(CURLOPT_UPLOAD, 1)
            try set(CURLOPT_INFILESIZE_LARGE, offset: upload.length)
        case "POST", "PATCH":
            try setPost(method)
        case _ where hasBody:
            try setPost(method)
        default:
            try set(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    private func setPost(_ method: String) throws(TransportError) {
        try set(CURLOPT_POST, 1)
        try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: upload.length)
        if method != "POST" { try set(CURLOPT_CUSTOMREQUEST, method) }
    }

    private func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
        try check(ds_curl_easy_setopt_long(easy, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, offset value: Int64) throws(TransportError) {
        try check(ds_curl_easy_setopt_off(easy, option, curl_off_t(value)), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, _ value: String) throws(TransportError) {
        try check(ds_curl_easy_setopt_string(easy, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, pointer value: UnsafeRawPointer?) throws(TransportError) {
        try check(ds_curl_easy_setopt_ptr(easy, option, value), "option \(option.rawValue)")
    }

    private func check(_ code: CURLcode, _ what: String) throws(TransportError) {
        guard code != CURLE_OK else { return }
        throw TransportError(
            code: .invalidRequest, curlCode: Int(code.rawValue),
            message: "curl refused \(what): \(String(cString: curl_easy_strerror(code)))", url: url)
    }
}

/// Whether `text` is an RFC 9110 token (a method or header name).
private func isToken(_ text: String) -> Bool {
    !text.isEmpty
        && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero; beyond ±292 million years, clamped.
    fileprivate var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1000 else { return Int.max }
        guard seconds > Int64.min / 1000 else { return Int.min }
        return Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
