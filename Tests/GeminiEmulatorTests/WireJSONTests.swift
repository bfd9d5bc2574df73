import Foundation
import Testing

@testable import GeminiEmulator

/// The emulator's own JSON reader and writer.
@Suite struct WireJSONTests {
    func parse(_ text: String) throws -> WireJSON {
        try WireJSONParser.parse(Data(text.utf8))
    }

    @Test func readsStrictJSONWithEscapesAndNumbers() throws {
        let value = try parse(
            #"{"a": [1, -2, 3.5, 1e3, true, false, null], "s": "line\nbreak \"q\" \u00e9 \ud83d\ude00", "big": 9007199254740993}"#)
        #expect(value["a"] == .array([.int(1), .int(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null]))
        #expect(value["s"] == .string("line\nbreak \"q\" é 😀"))
        #expect(value["big"]?.intValue == 9_007_199_254_740_993)
    }

    @Test func acceptsWhatGooglesFrontEndAccepts() throws {
        let value = try parse("{'file': {'display_name': 'Sample',},}")
        #expect(value["file"]?["display_name"] == .string("Sample"))
    }

    @Test func refusesBrokenDocumentsWithAnOffset() {
        #expect(throws: WireJSONSyntaxError.self) { try parse(#"{"a": }"#) }
        #expect(throws: WireJSONSyntaxError.self) { try parse(#"{"a": "unterminated}"#) }
        #expect(throws: WireJSONSyntaxError.self) { try parse(#"{"a": 1} trailing"#) }
        #expect(throws: WireJSONSyntaxError(reason: "Expected a field name.", offset: 1)) { try parse("{1: 2}") }
    }

    @Test func writesPrettyWithGooglesLayoutAndEscapes() {
        let value: WireJSON = .object([("name", .string("<a&b>")), ("list", .array([.int(1), .double(0.5)])), ("empty", .object([]))])
        let text = String(decoding: WireJSONWriter.data(value), as: UTF8.self)
        #expect(text == "{\n  \"name\": \"\\u003ca\\u0026b\\u003e\",\n  \"list\": [\n    1,\n    0.5\n  ],\n  \"empty\": {}\n}\n")
        #expect(
            WireJSONWriter.spacedLine(.object([("box_2d", .array([.int(1), .int(2)])), ("label", .string("x=y"))]))
                == #"{"box_2d": [1, 2], "label": "x=y"}"#)
    }

    @Test func roundTripsWhatItWrites() throws {
        let value: WireJSON = .object([
            ("t", .string("tab\tquote\"slash\\")), ("n", .int(-7)), ("nested", .array([.object([("k", .null)])])),
        ])
        #expect(try WireJSONParser.parse(WireJSONWriter.data(value)) == value)
    }

    @Test func lenientBase64TakesBothAlphabetsWithOrWithoutPadding() {
        let bytes = Data([0xFB, 0xFF, 0xBF, 0x00, 0x10])
        let standard = bytes.base64EncodedString()
        let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(LenientBase64.decode(standard) == bytes)
        #expect(LenientBase64.decode(urlSafe) == bytes)
        #expect(LenientBase64.decode(urlSafe.replacingOccurrences(of: "=", with: "")) == bytes)
        #expect(LenientBase64.decode(String(standard.prefix(4)) + "\n" + standard.dropFirst(4)) == bytes)
        #expect(LenientBase64.decode("abcde") == nil)
    }
}
