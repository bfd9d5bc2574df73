#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a request sends after its headers.
public enum HTTPBody: Sendable {
    /// No body. POST, PUT and PATCH still send `Content-Length: 0`.
    case none
    /// Bytes held in memory.
    case bytes(Data)
    /// `length` bytes of the file at `path`, starting at byte `offset`.
    ///
    /// Streamed with `pread` while curl asks for it, so memory stays constant whatever the length.
    /// The file is opened when the transfer starts; it must hold at least `offset + length` bytes.
    case file(path: String, offset: Int64, length: Int64)

    /// The number of bytes the body sends (the `Content-Length`).
    public var length: Int64 {
        switch self {
        case .none: 0
        case .bytes(let data): Int64(data.count)
        case .file(_, _, let length): length
        }
    }
}
