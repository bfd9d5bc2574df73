import Foundation

/// A fresh folder under the system's temporary folder, for one test.
///
/// It is removed by ``cleanup()`` (call it in a `defer`, which also keeps the value alive to the end of the
/// scope) or, at the latest, when the value is released.
public final class TemporaryFolder: Sendable {
    public let url: URL

    /// Creates `<temporary folder>/<prefix>-<UUID>`.
    public init(prefix: String = "dropsight-tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        cleanup()
    }

    /// The folder's own path.
    public var path: String { url.path }

    /// The path of `name` inside the folder (nothing is created).
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Creates the folder `relative` (and its parents) inside this one and returns its path.
    @discardableResult
    public func make(_ relative: String) throws -> String {
        let folder = path(relative)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes `data` to `name` inside the folder and returns the file's path.
    @discardableResult
    public func write(_ data: Data, to name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file.path
    }

    /// Removes the folder and everything in it (again is harmless).
    public func cleanup() {
        try? FileManager.default.removeItem(at: url)
    }
}
