import FileAccess

#if canImport(Glibc)
    import Glibc
#endif

/// One `struct inotify_event` decoded from the bytes `read` returned.
struct InotifyEvent {
    var wd: Int32
    var mask: UInt32
    /// The entry's name inside the watched directory; empty for events about the directory itself.
    var name: String

    func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }

    /// Decodes every complete event in `bytes` (wd, mask, cookie, len, then len bytes of NUL-padded name).
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [InotifyEvent] {
        let header = MemoryLayout<inotify_event>.size
        var events: [InotifyEvent] = []
        var offset = 0
        while offset + header <= bytes.count {
            let wd = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[(offset + header)..<min(bytes.count, offset + header + length)])
            let name = PathBytes.string(nameBytes.prefix { $0 != 0 })
            events.append(InotifyEvent(wd: wd, mask: mask, name: name))
            offset += header + length
        }
        return events
    }
}
