/// A failure of exempi, with its error code (`xmp_get_error`) and what was being done.
public struct XMPError: Error, CustomStringConvertible, Sendable {
    /// What failed: `parse`, `serialize`, `set dc:subject`, ...
    public var operation: String
    /// exempi's `xmp_get_error()` right after the failure (`XMPErr_*`).
    public var code: Int32

    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "XMP \(operation) failed (exempi error \(code))" }
}
