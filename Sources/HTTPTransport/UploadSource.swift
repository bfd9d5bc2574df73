#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A request body as curl reads it: a length, a position, and where the bytes come from.
struct UploadSource: ~Copyable {
    private enum Origin {
        case memory(Data)
        case file(descriptor: Int32, path: String, offset: Int64)
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
            origin = .file(descriptor: try Self.openSlice(path: path, offset: offset, length: length, url: url),
                           path: path, offset: offset)
            self.length = length
        }
    }

    deinit {
        if case .file(let descriptor, _, _) = origin { Syscall.close(descriptor) }
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
        case .file(let descriptor, let path, let offset):
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted])
            switch Syscall.read(descriptor, into: slice, at: offset + position) {
            case .success(0):
                return .failure(UploadFailure(message: "\(path) ended at byte \(offset + position), before the \(length) bytes to upload were read; was it truncated?"))
            case .success(let count):
                position += Int64(count)
                return .success(count)
            case .failure(let error):
                return .failure(UploadFailure(message: "reading \(path) at byte \(offset + position) failed: \(error.message)"))
            }
        }
    }

    /// Moves back or forward to `newPosition` (curl rewinds when it must resend the body).
    mutating func seek(to newPosition: Int64) -> Bool {
        guard newPosition >= 0, newPosition <= length else { return false }
        position = newPosition
        return true
    }

    private static func openSlice(path: String, offset: Int64, length: Int64, url: String) throws(TransportError) -> Int32 {
        guard offset >= 0, length >= 0 else {
            throw TransportError(code: .invalidRequest, message: "the body slice of \(path) has a negative offset (\(offset)) or length (\(length))", url: url)
        }
        let descriptor: Int32
        switch Syscall.openForReading(path) {
        case .success(let opened): descriptor = opened
        case .failure(let error):
            throw TransportError(code: .invalidRequest, message: "cannot open the body file \(path): \(error.message)", url: url)
        }
        switch Syscall.fileSize(descriptor) {
        case .success(let size) where size >= offset + length:
            return descriptor
        case .success(let size):
            Syscall.close(descriptor)
            throw TransportError(code: .invalidRequest, message: "the body file \(path) holds \(size) bytes, fewer than offset \(offset) + length \(length)", url: url)
        case .failure(let error):
            Syscall.close(descriptor)
            throw TransportError(code: .invalidRequest, message: "cannot read the size of the body file \(path): \(error.message)", url: url)
        }
    }
}

/// Why the body could not be read while uploading.
struct UploadFailure: Error {
    let message: String
}
