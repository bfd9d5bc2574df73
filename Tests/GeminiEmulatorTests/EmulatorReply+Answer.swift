import Foundation

@testable import GeminiEmulator

extension EmulatorReply {
    /// Text of the candidate's last part: the answer.
    var answer: String? {
        json?["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue?.last?["text"]?.stringValue
    }

    var errorMessage: String? { json?["error"]?["message"]?.stringValue }

    var usage: WireJSON? { json?["usageMetadata"] }

    /// Whether the body is `expected` (compact JSON), key order included, whatever its spacing.
    func hasBody(_ expected: String) -> Bool {
        json != nil && json == (try? WireJSONParser.parse(Data(expected.utf8)))
    }
}

extension EmulatorClient {
    /// `generateContent` on `model` with one text part and `config` as `generationConfig`.
    func generate(_ model: String, _ prompt: String = "hello", config: String = "{}") async throws -> EmulatorReply {
        try await postJSON(
            "/v1beta/models/\(model):generateContent",
            #"{"contents": [{"parts": [{"text": "\#(prompt)"}]}], "generationConfig": \#(config)}"#)
    }
}
