import Foundation
import GeminiAPI

/// A ``GeminiAPI/JSONLReader`` handed to blocking work a few lines at a time.
///
/// `@unchecked Sendable`: publishing uses it from one task, one `next(upTo:)` at a time (each awaited before the
/// next), so the reader is never touched from two threads at once.
final class LineSource: @unchecked Sendable {
    private let reader: JSONLReader

    init(path: String) throws { reader = try JSONLReader(path: path) }

    /// Up to `count` lines with their 1-based numbers; empty at the end of the file.
    func next(upTo count: Int) throws -> [(number: Int, line: Data)] {
        var lines: [(number: Int, line: Data)] = []
        while lines.count < count, let line = try reader.next() { lines.append((reader.lineNumber, line)) }
        return lines
    }
}
