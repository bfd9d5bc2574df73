import Foundation
import JSONModel
import Testing

@testable import Prompts

@Suite struct JSONExtractorTests {
    @Test func bareArrayIsFoundWithoutFenceOrProse() {
        let found = JSONExtractor.extract(from: "  [1, 2, {\"a\": null}]\n")
        #expect(found.value == .array([.number(1), .number(2), .object([.init(key: "a", value: .null)])]))
        #expect(!found.wasFenced)
        #expect(!found.hadProse)
        #expect(!found.truncated)
    }

    @Test func fencedWithAndWithoutLanguageTag() {
        for fence in ["```json\n{\"k\": true}\n```", "```\n{\"k\": true}\n```", "```JSON {\"k\": true}```"] {
            let found = JSONExtractor.extract(from: fence)
            #expect(found.value == .object([.init(key: "k", value: .bool(true))]), "\(fence)")
            #expect(found.wasFenced)
            #expect(!found.hadProse)
        }
    }

    @Test func proseAroundFenceIsNoted() {
        let found = JSONExtractor.extract(from: "Here you go:\n```json\n[3]\n```\nHope that helps [really].")
        #expect(found.value == .array([.number(3)]))
        #expect(found.wasFenced)
        #expect(found.hadProse)
    }

    @Test func proseWithBracketsBeforeBareJSONSkipsTheProse() {
        let text = "Boxes are [ymin, xmin, ymax, xmax] {normalised}: [{\"box_2d\": [1, 2, 3, 4]}] done"
        let found = JSONExtractor.extract(from: text)
        #expect(found.value?.arrayCount == 1)
        #expect(found.hadProse)
        #expect(!found.wasFenced)
    }

    @Test func aFenceWithoutJSONFallsBackToTheText() {
        let found = JSONExtractor.extract(from: "```python\nprint('hi')\n```\n[7]")
        #expect(found.value == .array([.number(7)]))
        #expect(!found.wasFenced)
    }

    @Test func cutInTheEighthItemKeepsSeven() {
        let text = "```json\n[\n" + Self.items(7).joined(separator: ",\n") + ",\n  {\"box_2d\": [10, 20, 3"
        let found = JSONExtractor.extract(from: text)
        #expect(found.truncated)
        #expect(found.recoveredItems == 7)
        #expect(found.value?.arrayCount == 7)
        #expect(found.wasFenced)
    }

    @Test func cutAfterACommaKeepsEveryItemBeforeIt() {
        let found = JSONExtractor.extract(from: "[" + Self.items(3).joined(separator: ",") + ",")
        #expect(found.recoveredItems == 3)
        #expect(found.value?.arrayCount == 3)
    }

    @Test func cutInsideAStringWithBracketsAndEscapes() {
        let text = #"[{"label": "a ] } \" [ {"}, {"label": "b \\"}, {"label": "c ] \" }"#
        let found = JSONExtractor.extract(from: text)
        #expect(found.recoveredItems == 2)
        #expect(
            found.value
                == .array([
                    .object([.init(key: "label", value: .string("a ] } \" [ {"))]),
                    .object([.init(key: "label", value: .string("b \\"))]),
                ]))
    }

    @Test func cutInsideAnObjectWrappedList() {
        let text = #"{"detections": [{"label": "a"}, {"label": "b"}, {"lab"#
        let found = JSONExtractor.extract(from: text)
        #expect(found.truncated)
        #expect(found.recoveredItems == 2)
        #expect(found["detections"]?.arrayCount == 2)
    }

    @Test func cutBeforeTheFirstItemHasNoValue() {
        let found = JSONExtractor.extract(from: "```json\n[\n  {\"box_2d\": [1, 2")
        #expect(found.value == nil)
        #expect(found.truncated)
    }

    @Test func proseOnlyAndEmptyHaveNoValue() {
        let prose = JSONExtractor.extract(from: "I cannot see any cupcakes in this picture.")
        #expect(prose.value == nil)
        #expect(prose.hadProse)
        #expect(!prose.truncated)
        let empty = JSONExtractor.extract(from: "")
        #expect(empty.value == nil)
        #expect(!empty.hadProse)
    }

    @Test func hostileNestingDoesNotCrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let found = JSONExtractor.extract(from: deep)
        #expect(found.value == nil)
    }

    @Test func unicodeEscapesAndRawText() {
        let found = JSONExtractor.extract(from: #"["caf\u00e9 \ud83e\uddc1", "ключ", "\ud800 lone"]"#)
        #expect(found.value == .array([.string("café 🧁"), .string("ключ"), .string("\u{FFFD} lone")]))
    }

    @Test func lenientSpellingsModelsUse() {
        let found = JSONExtractor.extract(from: "[NaN, -Infinity, +5, 1e3, [1, 2,],]")
        guard case .array(let values) = found.value else {
            Issue.record("no array")
            return
        }
        #expect(values.count == 5)
        #expect(values[0].numberValue?.isNaN == true)
        #expect(values[1] == .number(-.infinity))
        #expect(values[2] == .number(5))
        #expect(values[3] == .number(1000))
        #expect(values[4] == .array([.number(1), .number(2)]))
    }

    @Test func reEncodesWithMemberOrderAndIntegers() throws {
        let text = #"{"z": 1, "a": [2.5, "x\"\n\u0001", null, false], "m": NaN, "e": 1e-7}"#
        let found = JSONExtractor.extract(from: text)
        let list: JSONValue = .array([.number(2.5), .string("x\"\n\u{01}"), .null, .bool(false)])
        guard case .object(let members) = found.value else {
            Issue.record("no object")
            return
        }
        try #require(members.map(\.key) == ["z", "a", "m", "e"])
        #expect(members[0].value == .number(1) && members[1].value == list && members[3].value == .number(1e-7))
        #expect(members[2].value.numberValue?.isNaN == true)
        let compact = #"{"z":1,"a":[2.5,"x\"\n\u0001",null,false],"m":null,"e":1e-07}"#
        #expect(
            JSONExtractor.extract(from: compact).value
                == .object([
                    .init(key: "z", value: .number(1)), .init(key: "a", value: list),
                    .init(key: "m", value: .null), .init(key: "e", value: .number(1e-7)),
                ]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode(found.value)
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"a":[2.5,"x\"\n\u0001",null,false],"e":1e-07,"m":null,"z":1}"#)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(#"[1, "b", true, null, {"k": 2}]"#.utf8))
        #expect(decoded == .array([.number(1), .string("b"), .bool(true), .null, .object([.init(key: "k", value: .number(2))])]))
    }

    @Test func textReplyNotesWhatWasFound() {
        let good = TextReply.parseJSONReply(text: "```json\n{\"caption\": \"a cat\"}\n```")
        #expect(good.value == .object([.init(key: "caption", value: .string("a cat"))]))
        #expect(good.notes.isEmpty)
        let cut = TextReply.parseJSONReply(text: "Sure! [1, 2, 3")
        #expect(cut.value == .array([.number(1), .number(2)]))
        #expect(cut.notes.contains { $0.contains("cut off") })
        #expect(cut.notes.contains { $0.contains("text around") })
        let none = TextReply.parseJSONReply(text: "no json here")
        #expect(none.value == nil)
        #expect(none.notes == ["no JSON found in the reply"])
    }

    static func items(_ count: Int) -> [String] {
        (0..<count).map { #"  {"box_2d": [\#($0), 10, \#($0 + 100), 200], "label": "item \#($0)"}"# }
    }
}

extension JSONValue {
    var arrayCount: Int? {
        if case .array(let elements) = self { return elements.count }
        return nil
    }

    var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }
}

extension ExtractedJSON {
    subscript(key: String) -> JSONValue? { value?[key] }
}
