import Foundation
import HTTPTransport

/// A request encoded as JSON whose inline images are sent as base64 while the request goes out, so an image
/// is never held a second time as base64 text, nor a third time inside the JSON.
///
/// The request is encoded with a placeholder in each `inlineData.data` (a random marker no prompt can hold),
/// and the JSON is cut at the placeholders: the body is the JSON pieces with the images between them.
enum InlineBody {
    static func encode(_ value: some Encodable) throws -> HTTPBody {
        let collector = InlineCollector()
        let encoder = JSONEncoder()
        encoder.userInfo[InlineCollector.key] = collector
        let json = try encoder.encode(value)
        guard !collector.images.isEmpty else { return .bytes(json) }
        var pieces: [HTTPBody.Piece] = []
        var rest = json[...]
        for (index, image) in collector.images.enumerated() {
            let placeholder = Data(collector.placeholder(index).utf8)
            guard let found = rest.firstRange(of: placeholder) else {
                throw EncodingError.invalidValue(
                    index, .init(codingPath: [], debugDescription: "the placeholder of inline image \(index) is missing"))
            }
            pieces.append(.bytes(Data(rest[..<found.lowerBound])))
            pieces.append(.base64(image))
            rest = rest[found.upperBound...]
        }
        pieces.append(.bytes(Data(rest)))
        return .pieces(pieces)
    }
}

/// Collects the inline images of a request while it is encoded (one encoding, one thread).
final class InlineCollector: @unchecked Sendable {
    // @unchecked: used by one synchronous JSONEncoder run only.
    static let key = CodingUserInfoKey(rawValue: "dropsight.inlineImages")!
    private let marker = "dropsight-inline-\(UUID().uuidString)"
    private(set) var images: [Data] = []

    /// Records `data` and answers the text to encode in its place.
    func record(_ data: Data) -> String {
        images.append(data)
        return placeholder(images.count - 1)
    }

    func placeholder(_ index: Int) -> String { "\(marker)-\(index)." }
}
