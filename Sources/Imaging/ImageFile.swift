import CVips
import Glibc
import SystemPackage

/// A regular file opened for reading; FIFOs, devices, sockets and directories are refused without blocking.
///
/// Opened with `O_NONBLOCK` so that opening a FIFO returns at once, then checked with `fstat`.
/// Every later read (header, libvips source, whole file) goes through this one descriptor, so the
/// file checked is the file read even if the path is replaced meanwhile.
final class ImageFile {
    let path: String
    let descriptor: FileDescriptor
    /// Size in bytes when opened.
    let size: Int

    init(path: String) throws {
        self.path = path
        let options: FileDescriptor.OpenOptions = [.nonBlocking, .closeOnExec, .init(rawValue: O_NOCTTY)]
        let descriptor: FileDescriptor
        do {
            descriptor = try Self.io("cannot open", path: path) { try FileDescriptor.open(path, .readOnly, options: options) }
        } catch let error as ImagingError where error.errno == .noSuchAddressOrDevice {
            throw ImagingError(
                .notRegularFile, path: path, "not a regular file (a socket or device); only image files are read",
                errno: .noSuchAddressOrDevice)
        }
        do {
            let info = try Self.io("cannot stat", path: path) { try Stat(descriptor) }
            guard info.type == .regular else {
                throw ImagingError(.notRegularFile, path: path, "not a regular file (\(Self.kind(info.type))); only image files are read")
            }
            self.size = Int(info.size)
        } catch {
            try? descriptor.close()
            throw error
        }
        self.descriptor = descriptor
    }

    deinit {
        // Linux releases the descriptor even when close fails, so a failure leaves nothing to do.
        try? descriptor.close()
    }

    /// The first bytes of the file, enough for `ImageProbe.sniff`.
    func header(length: Int = ImageProbe.headerLength) throws -> [UInt8] {
        try read(count: length)
    }

    /// The whole file.
    func readAll() throws -> [UInt8] {
        let bytes = try read(count: size)
        guard bytes.count == size else {
            throw ImagingError(
                .truncated, path: path, "file shrank from \(size) to \(bytes.count) bytes while being read; it may still be being written")
        }
        return bytes
    }

    /// A libvips source reading this file from its start (libvips duplicates the descriptor).
    func source() throws -> VipsSourceRef {
        try Self.io("cannot seek", path: path) { try descriptor.seek(offset: 0, from: .start) }
        guard let source = vips_source_new_from_descriptor(descriptor.rawValue) else {
            throw ImagingError(.io, path: path, "libvips cannot read the file", vipsDetail: Vips.takeErrorText())
        }
        return VipsSourceRef(taking: source)
    }

    /// Up to `count` bytes from the start of the file; fewer only at end of file.
    private func read(count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try bytes.withUnsafeMutableBytes { raw in
                try Self.io("cannot read", path: path) {
                    try descriptor.read(fromAbsoluteOffset: Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                }
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Runs a swift-system call (which retries `EINTR`), turning its `Errno` into `ImagingError(.io)` saying `what` failed.
    @discardableResult
    private static func io<T>(_ what: String, path: String, _ call: () throws -> T) throws -> T {
        do {
            return try call()
        } catch let code as Errno {
            throw ImagingError(.io, path: path, "\(what): \(code)", errno: code)
        }
    }

    private static func kind(_ type: FileType) -> String {
        switch type {
        case .directory: "a directory"
        case .fifo: "a FIFO"
        case .socket: "a socket"
        case .characterSpecial: "a character device"
        case .blockSpecial: "a block device"
        case .symbolicLink: "a symbolic link"
        default: "not a regular file"
        }
    }
}
