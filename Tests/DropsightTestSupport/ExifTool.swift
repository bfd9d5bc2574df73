import Foundation

/// exiftool (`libimage-exiftool-perl`), the independent reader and writer the XMP tests check against.
public enum ExifTool {
    public static let path = "/usr/bin/exiftool"
    public static var exists: Bool { FileManager.default.isExecutableFile(atPath: path) }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs exiftool with `arguments`; returns its standard output, throws on a non-zero exit.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "exiftool \(arguments.joined(separator: " ")): \(String(decoding: errors, as: UTF8.self))")
        }
        return data
    }

    /// `exiftool -j -XMP:all FILE`: tag name (`Subject`, `HierarchicalSubject`, `Rating`, ...) → value.
    public static func xmp(of file: String) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: run(["-j", "-XMP:all", file]))
        guard let first = (json as? [[String: Any]])?.first else { throw Failure(description: "exiftool gave no object for \(file)") }
        return first
    }

    /// A list tag as strings: exiftool prints a one-item list as a bare value.
    public static func list(_ value: Any?) -> [String] {
        switch value {
        case let items as [Any]: return items.map { "\($0)" }
        case nil: return []
        case let item?: return ["\(item)"]
        }
    }
}
