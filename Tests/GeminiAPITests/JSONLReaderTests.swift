import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiAPI

/// The results file is walked line by line, in pieces: long files, CRLF, blank lines, a cut-off last line.
@Suite(.cleansUp) struct JSONLReaderTests {
    private func file(_ text: String) throws -> (TemporaryFolder, String) {
        let dir = try TemporaryFolder(prefix: "jsonl")
        let path = dir.path + "/results.jsonl"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (dir, path)
    }

    private func lines(_ path: String, maxLineBytes: Int = 1 << 20) throws -> [String] {
        let reader = try JSONLReader(path: path, maxLineBytes: maxLineBytes)
        var out: [String] = []
        while let line = try reader.next() { out.append(String(decoding: line, as: UTF8.self)) }
        return out
    }

    @Test func linesSpanningPiecesComeBackWhole() throws {
        let long = String(repeating: "x", count: 200_000)
        let (dir, path) = try file("{\"key\":\"1\"}\r\n\n  \n\(long)\n{\"key\":\"3\"}")
        defer { dir.cleanup() }
        #expect(try lines(path) == [#"{"key":"1"}"#, long, #"{"key":"3"}"#])
    }

    @Test func resultLinesDecodeAndACutOffLineIsAnError() throws {
        let text = """
            {"key":"7","response":{"candidates":[{"content":{"parts":[{"text":"a cat"}],"role":"model"}}],"usageMetadata":{"totalTokenCount":12}}}
            {"key":"8","error":{"code":400,"message":"bad image","status":"INVALID_ARGUMENT"}}
            {"key":"9","respon
            """
        let (dir, path) = try file(text)
        defer { dir.cleanup() }
        let reader = try JSONLReader(path: path)
        let first = try BatchResultLine.decode(try #require(try reader.next()), path: path, number: reader.lineNumber)
        #expect(first.key == "7" && first.response?.text == "a cat" && first.response?.usageMetadata?.totalTokenCount == 12)
        let second = try BatchResultLine.decode(try #require(try reader.next()), path: path, number: reader.lineNumber)
        #expect(second.error?.code == 400 && second.error?.status == "INVALID_ARGUMENT")
        let cut = try #require(try reader.next())
        #expect(throws: JSONLError.self) { try BatchResultLine.decode(cut, path: path, number: reader.lineNumber) }
        #expect(reader.lineNumber == 3)
        #expect(try reader.next() == nil)
    }

    @Test func anOverlongLineIsAnErrorNotAnAllocation() throws {
        let (dir, path) = try file(String(repeating: "y", count: 300_000) + "\n")
        defer { dir.cleanup() }
        #expect(throws: JSONLError.self) { try lines(path, maxLineBytes: 100_000) }
        #expect(throws: JSONLError.self) { try JSONLReader(path: path + ".missing") }
    }
}
