import CVips
import Glibc

/// A regular file opened for reading; FIFOs, devices, sockets and directories are refused without blocking.
///
/// Opened with `O_NONBLOCK` so that opening a FIFO returns at once, then checked with `fstat`.
/// Every later read (header, libvips source, whole file) goes through this one descriptor, so the
/// file checked is the file read even if the path is replaced meanwhile.
final class ImageFile {
    let path: String
    let descriptor: Int32
    /// Size in bytes when opened.
    let size: Int

    init(path: String) throws {
        self.path = path
        let fd: Int32
        do {
            fd = try Syscall.open(path, flags: O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        } catch let error as ImagingError where error.errno == ENXIO {
            throw ImagingError(.notRegularFile, path: path, "not a regular file (a socket or device); only image files are read", errno: ENXIO)
        }
        do {
            let info = try Syscall.fstat(fd, path: path)
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw ImagingError(.notRegularFile, path: path, "not a regular file (\(Self.kind(info.st_mode))); only image files are read")
            }
            self.size = Int(info.st_size)
        } catch {
            Syscall.close(fd)
            throw error
        }
        self.descriptor = fd
    }

    deinit {
        Syscall.close(descriptor)
    }

    /// The first bytes of the file, enough for `ImageProbe.sniff`.
    func header(length: Int = ImageProbe.headerLength) throws -> [UInt8] {
        try Syscall.pread(descriptor, count: length, offset: 0, path: path)
    }

    /// The whole file.
    func readAll() throws -> [UInt8] {
        let bytes = try Syscall.pread(descriptor, count: size, offset: 0, path: path)
        guard bytes.count == size else {
            throw ImagingError(.truncated, path: path, "file shrank from \(size) to \(bytes.count) bytes while being read; it may still be being written")
        }
        return bytes
    }

    /// A libvips source reading this file from its start (libvips duplicates the descriptor).
    func source() throws -> VipsSourceRef {
        try Syscall.rewind(descriptor, path: path)
        guard let source = vips_source_new_from_descriptor(descriptor) else {
            throw ImagingError(.io, path: path, "libvips cannot read the file", vipsDetail: Vips.takeErrorText())
        }
        return VipsSourceRef(taking: source)
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }
}
