import DropsightTestSupport
import Foundation
import Testing

@testable import HTTPTransport

/// A body of pieces, base64 ones encoded while curl reads them, arrives as the concatenation it stands for.
@Suite("Bodies sent as pieces", .timeLimit(.minutes(1)))
struct PiecesBodyTests {
    /// JSON around two images, as a generateContent request with inline data is sent.
    static let pieces: [HTTPBody.Piece] = [
        .bytes(Data(#"{"contents":[{"parts":[{"inlineData":{"mimeType":"image/jpeg","data":""#.utf8)),
        .base64(patternedBytes(count: 5_000_003)),
        .bytes(Data(#""}},{"inlineData":{"mimeType":"image/png","data":""#.utf8)),
        .base64(patternedBytes(count: 2)),
        .bytes(Data(#""}}]}]}"#.utf8)),
    ]

    static var expected: Data {
        pieces.reduce(into: Data()) { whole, piece in
            switch piece {
            case .bytes(let data): whole.append(data)
            case .base64(let data): whole.append(data.base64EncodedData())
            }
        }
    }

    @Test("Read at every buffer size and position, the pieces give the same bytes as encoding them whole")
    func readerMatchesTheWholeEncoding() {
        let small: [HTTPBody.Piece] = [.bytes(Data("ab".utf8)), .base64(Data([1, 2, 3, 4, 5, 6, 7])), .bytes(Data()), .base64(Data([9]))]
        let whole = Data("ab".utf8) + Data([1, 2, 3, 4, 5, 6, 7]).base64EncodedData() + Data([9]).base64EncodedData()
        #expect(HTTPBody.pieces(small).length == Int64(whole.count))
        for size in 1...whole.count {
            for start in 0..<whole.count {
                var buffer = [UInt8](repeating: 0, count: size)
                let count = buffer.withUnsafeMutableBytes { PieceReader.copy(small, from: Int64(start), into: $0) }
                #expect(count == min(size, whole.count - start))
                #expect(Data(buffer.prefix(count)) == whole[start..<(start + count)], "size \(size) from \(start)")
            }
        }
    }

    @Test("A 5 MB image between JSON pieces arrives as base64 with the right Content-Length")
    func largeBodyArrivesIntact() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let request = HTTPRequest(
                method: "POST", url: server.baseURL + "/echo", headers: [HTTPHeader("x-test-id", "pieces")],
                body: .pieces(Self.pieces))
            let response = try await transport.send(request)
            let reply = try JSONDecoder().decode(EchoReply.self, from: response.body)
            #expect(reply.values(of: "content-length") == [String(Self.expected.count)])
            #expect(await server.bodies.body(id: "pieces") == Self.expected)
        }
    }
}
