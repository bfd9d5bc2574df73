/// One image file as the queue records it (a row of `images`): what the watcher and the hasher know about it.
public struct ImageRecord: Sendable, Hashable {
    /// Absolute path of the image.
    public var path: String
    /// The configured (watched) folder the image belongs to; the unit of fairness.
    public var folder: String
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var mtimeNs: Int64
    /// Lower-case hex SHA-256 of the file's content.
    public var sha256: String
    /// Device and inode of the file that was hashed (0 when not known).
    public var device: UInt64
    public var inode: UInt64

    public init(path: String, folder: String, size: Int64, mtimeNs: Int64, sha256: String, device: UInt64 = 0, inode: UInt64 = 0) {
        self.path = path
        self.folder = folder
        self.size = size
        self.mtimeNs = mtimeNs
        self.sha256 = sha256
        self.device = device
        self.inode = inode
    }
}
