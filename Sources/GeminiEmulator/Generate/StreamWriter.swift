import HTTPTypes
import Hummingbird

/// `streamGenerateContent`: the answer in three deltas with cumulative `usageMetadata`,
/// as `data:` events (`?alt=sse`) or as one JSON array.
///
/// With `failure`, only the first chunk is sent and the error follows as its own element
/// (`data: {"error": ...}`), as the service does when it fails after HTTP 200.
enum StreamWriter {
    static func response(
        candidate: Candidate, usage: UsageMetadata, model: String, responseID: String, sse: Bool,
        failure: GoogleError? = nil, started: ContinuousClock.Instant, extra: HTTPFields = [:]
    ) -> Response {
        let pieces = split(candidate.text ?? "", into: 3)
        var chunks: [WireJSON] = []
        var sent = ""
        for (index, piece) in pieces.enumerated() {
            let last = index == pieces.count - 1
            sent += piece
            var partial = usage
            partial.candidates = last ? usage.candidates : TokenCounter.text(sent)
            var chunkCandidate = candidate
            if index > 0 { chunkCandidate.thoughtText = nil }
            if candidate.text == nil { chunkCandidate.text = nil }
            var body: [(String, WireJSON)] = []
            if let json = chunkCandidate.json(textOverride: candidate.text == nil ? nil : piece, includeFinish: last) {
                body.append(("candidates", .array([json])))
            }
            if let feedback = candidate.promptFeedback { body.append(("promptFeedback", feedback)) }
            body += [("usageMetadata", partial.json), ("modelVersion", .string(model)), ("responseId", .string(responseID))]
            chunks.append(.object(body))
        }
        if let failure {
            chunks = Array(chunks.prefix(1)) + [failure.body]
        }
        var text = ""
        if sse {
            for chunk in chunks { text += "data: " + WireJSONWriter.string(chunk) + "\r\n\r\n" }
        } else {
            text = "[" + chunks.map { WireJSONWriter.string($0, pretty: true) }.joined(separator: ",\r\n") + "]"
        }
        var headers = WireResponse.googleHeaders(
            contentType: sse ? "text/event-stream" : "application/json; charset=UTF-8",
            startedAt: started)
        if sse { headers[.contentDisposition] = "attachment" }
        headers.append(contentsOf: extra)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `text` cut into at most `count` pieces of similar length (one piece when empty).
    static func split(_ text: String, into count: Int) -> [String] {
        guard text.count > count else { return [text] }
        let size = (text.count + count - 1) / count
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
    }
}
