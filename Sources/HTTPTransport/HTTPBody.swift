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
    /// Pieces sent one after another. A `.base64` piece is encoded while curl reads it, so an image inside a
    /// JSON request is never held a second time as base64 text.
    case pieces([Piece])

    public enum Piece: Sendable, Equatable {
        case bytes(Data)
        /// Sent as standard base64 with padding.
        case base64(Data)

        public var length: Int64 {
            switch self {
            case .bytes(let data): Int64(data.count)
            case .base64(let data): Int64((data.count + 2) / 3 * 4)
            }
        }
    }

    /// The number of bytes the body sends (the `Content-Length`).
    public var length: Int64 {
        switch self {
        case .none: 0
        case .bytes(let data): Int64(data.count)
        case .file(_, _, let length): length
        case .pieces(let pieces): pieces.reduce(0) { $0 + $1.length }
        }
    }
}
