import DropsightTestSupport
import Foundation
import Testing

@testable import GeminiAPI

@Suite struct ResponseDecodingTests {
    @Test func everyGenerateContentPayloadDecodes() throws {
        let names = try ReferenceExamples.names(prefix: "generateContent_")
        #expect(names.count >= 5, "expected at least 5 generateContent_* payloads, found \(names)")
        for name in names {
            let response = try JSONDecoder().decode(GenerateContentResponse.self, from: ReferenceExamples.data(name))
            #expect(response.text != nil || response.blockReason != nil, "\(name) gave neither text nor a block reason")
        }
    }

    @Test func everyRecordedSuccessDecodes() throws {
        let names = try ReferenceExamples.names(prefix: "jsgenai_rec_")
        #expect(names.count >= 9, "expected at least 9 jsgenai_rec_* recordings, found \(names)")
        var decoded = 0
        for name in names {
            let (status, bodies) = try ReferenceExamples.recordedResponses(name)
            guard status == 200 else { continue }
            for body in bodies {
                let r = try JSONDecoder().decode(GenerateContentResponse.self, from: body)
                if !name.contains("countTokens") { #expect(r.responseId != nil, "\(name)") }
                decoded += 1
            }
        }
        #expect(decoded >= 10, "only \(decoded) recorded success bodies were decoded")
    }

    @Test func promptBlockedHasNoCandidatesAndABlockReason() throws {
        let r = try JSONDecoder().decode(
            GenerateContentResponse.self,
            from: ReferenceExamples.data("generateContent_response_prompt_blocked_SAFETY.json"))
        #expect(r.candidates == nil)
        #expect(r.blockReason == "SAFETY")
        #expect(r.text == nil)
    }

    @Test func maxTokensWithoutPartsGivesNoText() throws {
        let (_, bodies) = try ReferenceExamples.recordedResponses("jsgenai_rec_generateContent_MAX_TOKENS_no_parts.json")
        let r = try JSONDecoder().decode(GenerateContentResponse.self, from: bodies[0])
        #expect(r.finishReason == "MAX_TOKENS")
        #expect(r.candidates?.first?.content?.parts == nil)
        #expect(r.text == nil)
        #expect(r.usageMetadata?.thoughtsTokenCount == 19)
        #expect(r.usageMetadata?.candidatesTokenCount == nil)
        #expect(r.usageMetadata?.totalTokenCount == 26)
        #expect(r.modelVersion == "gemini-2.5-flash")
    }

    @Test func thoughtPartsAreNotAnswerText() throws {
        let (_, bodies) = try ReferenceExamples.recordedResponses("jsgenai_rec_generateContent_includeThoughts_thought_part.json")
        let r = try JSONDecoder().decode(GenerateContentResponse.self, from: bodies[0])
        #expect(r.candidates?.first?.content?.parts?.first?.thought == true)
        #expect(r.text == nil)
        let mixed =
            #"{"candidates":[{"content":{"parts":[{"text":"thinking…","thought":true},{"text":"The answer"},{"text":" is 5050."}],"role":"model"},"finishReason":"STOP"}]}"#
        let m = try JSONDecoder().decode(GenerateContentResponse.self, from: Data(mixed.utf8))
        #expect(m.text == "The answer is 5050.")
    }

    @Test func unknownKeysAndStringCountsAreAccepted() throws {
        let body =
            #"{"candidates":[{"content":{"parts":[{"text":"hi"}]},"newField":{"x":1}}],"usageMetadata":{"promptTokenCount":"7","totalTokenCount":9},"turnToken":"v1:abc"}"#
        let r = try JSONDecoder().decode(GenerateContentResponse.self, from: Data(body.utf8))
        #expect(r.text == "hi")
        #expect(r.usageMetadata?.promptTokenCount == 7)
        #expect(r.candidates?.first?.index == nil)
    }

    @Test func requestEncodesCamelCaseAndBase64() throws {
        let request = GenerateContentRequest(
            contents: [
                Content(parts: [
                    .inlineData(mimeType: "image/jpeg", data: Data([0xFF, 0xD8, 0xFF])), .text("Describe"),
                    .fileData(mimeType: "image/png", uri: "https://example/v1beta/files/abc"),
                ])
            ],
            systemInstruction: Content(role: nil, parts: [.text("Be brief")]),
            generationConfig: GenerationConfig(
                temperature: 0.5, responseMimeType: "application/json",
                responseJsonSchema: .object([.init(key: "type", value: .string("array"))]),
                thinkingConfig: ThinkingConfig(thinkingBudget: 0)))
        let json = try #require(String(data: JSONEncoder().encode(request), encoding: .utf8))
        #expect(json.contains(#""inlineData":{"#))
        #expect(json.contains(#""data":"\/9j\/""#) || json.contains(#""data":"/9j/""#))
        #expect(json.contains(#""fileUri":"https:"#))
        #expect(json.contains(#""systemInstruction""#))
        #expect(json.contains(#""thinkingBudget":0"#))
        #expect(json.contains(#""responseJsonSchema":{"type":"array"}"#))
        #expect(!json.contains("maxOutputTokens"))
    }
}
