import SystemPackage

/// Whether a file descriptor is the journal stream systemd announced in `JOURNAL_STREAM`.
enum JournalStream {
    /// True when `value` (`device:inode`, decimal) names the file `fileDescriptor` is open on.
    static func matches(_ value: String?, fileDescriptor: Int32) -> Bool {
        guard let value else { return false }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        guard let status = try? Stat(FileDescriptor(rawValue: fileDescriptor)) else { return false }
        return UInt64(status.deviceID.rawValue) == device && UInt64(status.inode.rawValue) == inode
    }
}
