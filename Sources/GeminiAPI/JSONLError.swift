/// A JSON Lines file that cannot be read, or a line in it that is not what was expected.
public struct JSONLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 when the file itself is at fault.
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { line == 0 ? "\(path): \(message)" : "\(path) line \(line): \(message)" }
}
