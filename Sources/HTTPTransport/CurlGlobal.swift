import CCurl

#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide setup libcurl needs before any handle exists.
enum CurlGlobal {
    /// The result of ignoring SIGPIPE and calling `curl_global_init(CURL_GLOBAL_ALL)`, done once.
    ///
    /// SIGPIPE is ignored because a peer closing a socket mid-write must fail the write, not kill the
    /// process; `CURLOPT_NOSIGNAL` alone does not cover every TLS write.
    static let initResult: Int = {
        _ = signal(SIGPIPE, SIG_IGN)
        return Int(curl_global_init(Int(CURL_GLOBAL_ALL)).rawValue)
    }()
}
