import Foundation
import HTTPTransport
import Testing

@testable import GeminiAPI

/// A generateContent request goes out as the JSON JSONEncoder writes (key order aside), its images streamed as base64.
@Suite struct InlineBodyTests {
    static func flatten(_ body: HTTPBody) -> Data {
        switch body {
        case .bytes(let data): return data
        case .pieces(let pieces):
            return pieces.reduce(into: Data()) { whole, piece in
                switch piece {
                case .bytes(let data): whole.append(data)
                case .base64(let data): whole.append(data.base64EncodedData())
                }
            }
        default: return Data()
        }
    }

    /// Equal JSON values (JSONEncoder's key order varies from one encoding to the next).
    static func sameJSON(_ a: Data, _ b: Data) throws -> Bool {
        let left = try JSONSerialization.jsonObject(with: a) as? NSDictionary
        let right = try JSONSerialization.jsonObject(with: b) as? NSDictionary
        return left != nil && left == right
    }

    @Test func theStreamedBodyIsTheEncodedRequest() throws {
        let photo = Data((0..<100_001).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let reference = Data([0xFF, 0xD8, 0xFF])
        let request = GenerateContentRequest(contents: [
            Content(
                role: "user",
                parts: [
                    .inlineData(mimeType: "image/jpeg", data: reference),
                    .text(#"Compare with "dropsight-inline-" and \ backslashes."#),
                    .inlineData(mimeType: "image/jpeg", data: photo, mediaResolution: "MEDIA_RESOLUTION_HIGH"),
                ])
        ])
        let body = try InlineBody.encode(request)
        guard case .pieces(let pieces) = body else {
            Issue.record("the images are not streamed: \(body)")
            return
        }
        #expect(pieces.filter { if case .base64 = $0 { true } else { false } }.count == 2)
        #expect(try Self.sameJSON(Self.flatten(body), JSONEncoder().encode(request)))
        // JSONEncoder writes base64's "/" as "\/"; streamed, it goes out as "/": the same JSON, fewer bytes.
        #expect(Self.flatten(body).count < (try JSONEncoder().encode(request)).count)
        #expect(body.length == Int64(Self.flatten(body).count))
    }

    @Test func aRequestWithoutImagesIsSentAsItIs() throws {
        let request = GenerateContentRequest(contents: [Content(role: "user", parts: [.text("Hello")])])
        let body = try InlineBody.encode(request)
        guard case .bytes(let data) = body else {
            Issue.record("expected plain bytes: \(body)")
            return
        }
        #expect(try Self.sameJSON(data, JSONEncoder().encode(request)))
    }
}
