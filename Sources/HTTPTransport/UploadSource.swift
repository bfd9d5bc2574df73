import SystemPackage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A request body as curl reads it: a length, a position, and where the bytes come from.
struct UploadSource: ~Copyable {
    private enum Origin {
        case memory(Data)
        case file(FileDescriptor, path: String, offset: Int64)
        case pieces([HTTPBody.Piece])
    }

    private let origin: Origin
    let length: Int64
    private var position: Int64 = 0

    /// Opens `body` for reading; a file body is opened and checked to hold `offset + length` bytes.
    init(_ body: HTTPBody, url: String) throws(TransportError) {
        switch body {
        case .none:
            origin = .memory(Data())
            length = 0
        case .bytes(let data):
            origin = .memory(data)
            length = Int64(data.count)
        case .file(let path, let offset, let length):
            origin = .file(
                try Self.openSlice(path: path, offset: offset, length: length, url: url),
                path: path, offset: offset)
            self.length = length
        case .pieces(let pieces):
            origin = .pieces(pieces)
            length = body.length
        }
    }

    deinit {
        // Linux releases the descriptor even when close fails, so a failure leaves nothing to do.
        if case .file(let descriptor, _, _) = origin { try? descriptor.close() }
    }

    /// Copies the next bytes into `buffer`; returns how many, 0 once the whole body was read.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, UploadFailure> {
        let wanted = Int(min(Int64(buffer.count), length - position))
        guard wanted > 0 else { return .success(0) }
        switch origin {
        case .memory(let data):
            let start = Int(position)
            data.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + start, byteCount: wanted)
            }
            position += Int64(wanted)
            return .success(wanted)
        case .pieces(let pieces):
            let count = PieceReader.copy(pieces, from: position, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]))
            position += Int64(count)
            return .success(count)
        case .file(let descriptor, let path, let offset):
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted])
            let count: Int
            do {
                count = try descriptor.read(fromAbsoluteOffset: offset + position, into: slice)
            } catch {
                return .failure(UploadFailure(message: "reading \(path) at byte \(offset + position) failed: \(error)"))
            }
            guard count > 0 else {
                return .failure(
                    UploadFailure(
                        message:
                            "\(path) ended at byte \(offset + position), before the \(length) bytes to upload were read; was it truncated?")
                )
            }
            position += Int64(count)
            return .success(count)
        }
    }

    /// Moves back or forward to `newPosition` (curl rewinds when it must resend the body).
    mutating func seek(to newPosition: Int64) -> Bool {
        guard newPosition >= 0, newPosition <= length else { return false }
        position = newPosition
        return true
    }

    private static func openSlice(path: String, offset: Int64, length: Int64, url: String) throws(TransportError) -> FileDescriptor {
        guard offset >= 0, length >= 0 else {
            throw TransportError(
                code: .invalidRequest, message: "the body slice of \(path) has a negative offset (\(offset)) or length (\(length))",
                url: url)
        }
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(path, .readOnly, options: .closeOnExec)
        } catch {
            throw TransportError(code: .invalidRequest, message: "cannot open the body file \(path): \(error)", url: url)
        }
        let size: Int64
        do {
            size = try Stat(descriptor).size
        } catch {
            try? descriptor.close()
            throw TransportError(code: .invalidRequest, message: "cannot read the size of the body file \(path): \(error)", url: url)
        }
        guard size >= offset + length else {
            try? descriptor.close()
            throw TransportError(
                code: .invalidRequest, message: "the body file \(path) holds \(size) bytes, fewer than offset \(offset) + length \(length)",
                url: url)
        }
        return descriptor
    }
}

/// Why the body could not be read while uploading.
struct UploadFailure: Error {
    let message: String
}
