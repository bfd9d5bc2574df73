import CVips
import FileAccess
import Glibc
import SystemPackage

/// A regular file opened once for reading; symlinks, FIFOs, devices, sockets and directories are refused
/// without blocking.
///
/// Opened below its folder without following any link (``BeneathOpen``), with `O_NONBLOCK` so that a
/// FIFO returns at once, then checked with `fstat`. Every later read (hash, header, libvips decode, the
/// bytes sent) goes to this one file, so the file checked is the file read even if the path is replaced
/// meanwhile; libvips gets its own open of it (``source()``), so decodes running side by side cannot
/// disturb each other's offset.
public final class ImageFile: @unchecked Sendable {
    // @unchecked: every stored property is immutable; reads use pread (no shared offset).
    public let path: String
    let descriptor: FileDescriptor
    /// Size in bytes when opened; reads never go past it.
    public let size: Int
    /// Device and inode: which file this is, whatever its path says now.
    public let device: UInt64
    public let inode: UInt64
    /// Modification time in nanoseconds since 1970, when opened.
    public let mtimeNs: Int64

    /// Opens `path`, which lies inside `root` (its own folder when nil), never through a link below `root`.
    public init(path: String, beneath root: String? = nil) throws {
        self.path = path
        let flags = O_RDONLY | O_NONBLOCK | O_NOCTTY
        let raw: Int32
        do {
            raw = try BeneathOpen.open(path, beneath: root ?? PathText.directory(of: path), flags: flags)
        } catch let failure {
            throw Self.openError(failure, path: path)
        }
        let descriptor = FileDescriptor(rawValue: raw)
        do {
            let info = try Self.io("cannot stat", path: path) { try Stat(descriptor) }
            guard info.type == .regular else {
                throw ImagingError(.notRegularFile, path: path, "not a regular file (\(Self.kind(info.type))); only image files are read")
            }
            self.size = Int(info.size)
            self.device = UInt64(info.deviceID.rawValue)
            self.inode = UInt64(info.inode.rawValue)
            self.mtimeNs = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
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

    /// Calls `body` with the file's bytes in blocks of `blockSize`, in order, up to ``size``.
    public func forEachBlock(blockSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: blockSize)
        var offset = 0
        while offset < size {
            let wanted = min(blockSize, size - offset)
            let got = try buffer.withUnsafeMutableBytes { raw in
                try Self.io("cannot read", path: path) {
                    try descriptor.read(fromAbsoluteOffset: Int64(offset), into: UnsafeMutableRawBufferPointer(rebasing: raw[..<wanted]))
                }
            }
            if got == 0 { break }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<got])) }
            offset += got
        }
    }

    /// A libvips source reading this file from its start, through an open of its own (libvips
    /// duplicates that descriptor; ours is closed here).
    func source() throws -> VipsSourceRef {
        let own = BeneathOpen.reopen(descriptor.rawValue, flags: O_RDONLY | O_NONBLOCK)
        guard own >= 0 else {
            throw ImagingError(.io, path: path, "cannot open the file again for decoding: \(Errno(rawValue: errno))")
        }
        defer { close(own) }
        guard let source = vips_source_new_from_descriptor(own) else {
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

    /// The folder holding `path`: the root an image opened on its own is opened beneath.
    /// The error for a failed open: a link is refused as such, a socket or device is not a regular file.
    private static func openError(_ failure: BeneathOpen.Failure, path: String) -> ImagingError {
        let code = Errno(rawValue: failure.errno)
        if failure.isLink {
            return ImagingError(
                .symbolicLink, path: path, "a symbolic link, or under one; links in watched folders are never followed", errno: code)
        }
        if failure.errno == ENXIO {
            return ImagingError(
                .notRegularFile, path: path, "not a regular file (a socket or device); only image files are read", errno: code)
        }
        return ImagingError(.io, path: path, "cannot open: \(code)", errno: code)
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
