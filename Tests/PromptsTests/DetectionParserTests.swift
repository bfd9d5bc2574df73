import DropsightTestSupport
import Foundation
import Testing

@testable import Prompts

@Suite struct DetectionParserTests {
    /// Items counted by hand in each verbatim reply.
    static let expectedCounts = ReferenceExamples.spatialItemCounts

    @Test func everyReferenceReplyHasACount() throws {
        #expect(try Set(ReferenceExamples.names(prefix: "spatial_")) == Set(Self.expectedCounts.keys))
    }

    @Test(arguments: expectedCounts.sorted { $0.key < $1.key })
    func referenceReplyParsesEveryItem(file: String, count: Int) throws {
        let parse = DetectionParser.parse(text: try ReferenceExamples.text(file), imageWidth: 1024, imageHeight: 768)
        #expect(parse.detections.count == count)
        #expect(parse.detections.allSatisfy { !$0.label.isEmpty && $0.box.width > 0 && $0.box.height > 0 })
        #expect(parse.detections.allSatisfy { $0.box.x + $0.box.width <= 1024 && $0.box.y + $0.box.height <= 768 })
    }

    @Test func proseAroundFenceKeepsItemsAndSaysSo() throws {
        let parse = DetectionParser.parse(
            text: try ReferenceExamples.text("spatial_detect_spill_prose_around_fence_2025-03.txt"),
            imageWidth: 1000, imageHeight: 1000)
        #expect(parse.detections.map(\.label) == ["pink cloth", "sugar bowl", "spill", "sugar container"])
        #expect(parse.detections[0].box2d == [447, 0, 1000, 418])
        #expect(parse.detections[0].box == PixelBox(x: 0, y: 447, width: 418, height: 553))
        #expect(parse.notes == ["text around the JSON was ignored"])
    }

    @Test func longLabelsAreKeptWhole() throws {
        let parse = DetectionParser.parse(
            text: try ReferenceExamples.text("spatial_detect_spill_fenced_long_labels_2026-06.txt"),
            imageWidth: 640, imageHeight: 480)
        #expect(parse.detections.last?.label.hasPrefix("This white marble-patterned countertop") == true)
        #expect(parse.detections.last?.label.hasSuffix("dry it thoroughly.") == true)
        #expect(parse.notes.isEmpty)
    }

    @Test func pixelBoxIsYFirstOnTheThousandGrid() {
        let parse = DetectionParser.parse(
            text: #"[{"box_2d": [100, 200, 300, 400], "label": "a"}]"#, imageWidth: 1000, imageHeight: 500)
        #expect(
            parse.detections == [
                Detection(
                    label: "a", box2d: [100, 200, 300, 400],
                    box: PixelBox(x: 200, y: 50, width: 200, height: 100))
            ])
    }

    @Test func fractionalEdgesRoundOutwards() {
        let parse = DetectionParser.parse(
            text: #"[{"box_2d": [1, 1, 2, 2], "label": "speck"}]"#, imageWidth: 300, imageHeight: 300)
        #expect(parse.detections.first?.box == PixelBox(x: 0, y: 0, width: 1, height: 1))
    }

    @Test func labelsAreDataNotMarkupOrPaths() {
        let text =
            #"[{"box_2d": [0, 0, 10, 10], "label": "../../etc/passwd"}, "#
            + #"{"box_2d": [0, 0, 10, 10], "label": "<span foreground=\"red\">x</span> &amp;"}, "#
            + #"{"box_2d": [0, 0, 10, 10], "label": "tab\there\u0000\u202Egnp.exe"}]"#
        let parse = DetectionParser.parse(text: text, imageWidth: 100, imageHeight: 100)
        #expect(
            parse.detections.map(\.label) == [
                "../../etc/passwd", "<span foreground=\"red\">x</span> &amp;", "tab heregnp.exe",
            ])
        #expect(parse.notes == ["item 3: control characters removed from the label"])
    }

    @Test func overlongLabelIsCutWithANote() {
        let long = String(repeating: "🧁", count: 800)
        let parse = DetectionParser.parse(
            text: #"[{"box_2d": [0, 0, 10, 10], "label": "\#(long)"}]"#, imageWidth: 100, imageHeight: 100)
        #expect(parse.detections.first?.label.count == 500)
        #expect(parse.notes == ["item 1: label cut to 500 characters"])
    }

    @Test func tenThousandBoxesAreCapped() {
        let item = #"{"box_2d": [10, 10, 20, 20], "label": "x"}"#
        let text = "[" + Array(repeating: item, count: 10_000).joined(separator: ",") + "]"
        let parse = DetectionParser.parse(text: text, imageWidth: 100, imageHeight: 100)
        #expect(parse.detections.count == 1_000)
        #expect(parse.notes == ["reply has 10000 items; only the first 1000 were read, 9000 ignored"])
    }

    @Test func nonFiniteCoordinatesAreDroppedWithNotes() {
        let text =
            #"[{"box_2d": [NaN, 0, 10, 10], "label": "a"}, {"box_2d": ["nan", 0, 10, 10], "label": "b"}, "#
            + #"{"box_2d": [0, 0, Infinity, 10], "label": "c"}, {"box_2d": [0, 0, 10, 10], "label": "ok"}]"#
        let parse = DetectionParser.parse(text: text, imageWidth: 100, imageHeight: 100)
        #expect(parse.detections.map(\.label) == ["ok"])
        #expect(
            parse.notes == [
                "item 1: box_2d holds a value that is not a finite number; dropped",
                "item 2: box_2d holds a value that is not a finite number; dropped",
                "item 3: box_2d holds a value that is not a finite number; dropped",
            ])
    }

    @Test func outOfRangeCoordinatesAreClampedToTheImage() {
        let text = #"[{"box_2d": [-50, -10, 1200, 500], "label": "big"}]"#
        let parse = DetectionParser.parse(text: text, imageWidth: 400, imageHeight: 300)
        #expect(parse.detections.first?.box2d == [-50, -10, 1200, 500])
        #expect(parse.detections.first?.box == PixelBox(x: 0, y: 0, width: 200, height: 300))
        #expect(parse.notes == ["item 1: box_2d [-50, -10, 1200, 500] reaches outside 0-1000; clamped"])
    }

    @Test func degenerateBoxesAreDroppedNamingTheItem() {
        let text =
            #"[{"box_2d": [0, 0, 10, 10], "label": "ok"}, {"box_2d": [500, 100, 500, 200], "label": "flat"}, "#
            + #"{"box_2d": [-20, 5, -10, 50], "label": "above"}, {"box_2d": [10, 90, 20, 30], "label": "swapped"}]"#
        let parse = DetectionParser.parse(text: text, imageWidth: 100, imageHeight: 100)
        #expect(parse.detections.map(\.label) == ["ok"])
        #expect(parse.notes.contains("item 2: box_2d [500, 100, 500, 200] is empty (ymin >= ymax or xmin >= xmax); dropped"))
        #expect(parse.notes.contains("item 3: box_2d [-20, 5, -10, 50] is empty (ymin >= ymax or xmin >= xmax); dropped"))
        #expect(parse.notes.contains("item 4: box_2d [10, 90, 20, 30] is empty (ymin >= ymax or xmin >= xmax); dropped"))
    }

    @Test func numbersGivenAsStringsAndOtherBoxKeysAreAccepted() {
        let text = #"[{"box_2d": ["100", " 200 ", "300.5", "400"], "label": "s"}, {"bbox": [1, 2, 3, 4], "label": 7}]"#
        let parse = DetectionParser.parse(text: text, imageWidth: 1000, imageHeight: 1000)
        #expect(parse.detections.map(\.box2d) == [[100, 200, 300.5, 400], [1, 2, 3, 4]])
        #expect(parse.detections.map(\.label) == ["s", "7"])
        #expect(parse.detections.first?.box == PixelBox(x: 200, y: 100, width: 200, height: 201))
    }

    @Test func duplicatesAreKept() {
        let item = #"{"box_2d": [10, 10, 20, 20], "label": "twin"}"#
        let parse = DetectionParser.parse(text: "[\(item), \(item)]", imageWidth: 100, imageHeight: 100)
        #expect(parse.detections.count == 2)
        #expect(parse.notes.isEmpty)
    }

    @Test func itemsThatAreNotBoxesGetNotes() {
        let text =
            #"["cupcake", 42, {"label": "no box"}, {"box_2d": [1, 2, 3], "label": "short"}, "#
            + #"{"box_2d": "1,2,3,4"}, {"box_2d": [1, {"x": 1}, 3, 4]}, {"box_2d": [0, 0, 50, 50]}]"#
        let parse = DetectionParser.parse(text: text, imageWidth: 100, imageHeight: 100)
        #expect(parse.detections == [Detection(label: "", box2d: [0, 0, 50, 50], box: PixelBox(x: 0, y: 0, width: 5, height: 5))])
        #expect(
            parse.notes == [
                "item 1: is a string, not an object; skipped",
                "item 2: is a number, not an object; skipped",
                "item 3: has no box_2d; skipped",
                "item 4: box_2d has 3 values instead of 4; dropped",
                "item 5: box_2d is a string, not a list of 4 numbers; dropped",
                "item 6: box_2d holds a non-number (object); dropped",
                "item 7: no label",
            ])
    }

    @Test func itemNotesAreCappedWithACount() {
        let bad = Array(repeating: #"{"box_2d": [5, 5, 5, 5], "label": "flat"}"#, count: 60)
        let parse = DetectionParser.parse(text: "[" + bad.joined(separator: ",") + "]", imageWidth: 10, imageHeight: 10)
        #expect(parse.detections.isEmpty)
        #expect(parse.notes.count == 51)
        #expect(parse.notes.first == "item 1: box_2d [5, 5, 5, 5] is empty (ymin >= ymax or xmin >= xmax); dropped")
        #expect(parse.notes.last == "10 more item notes not shown")
    }

    @Test func cutOffReplyKeepsCompleteItems() {
        let text = "```json\n[\n" + JSONExtractorTests.items(7).joined(separator: ",\n") + ",\n  {\"box_2d\": [1, 2, 3, 4], \"la"
        let parse = DetectionParser.parse(text: text, imageWidth: 100, imageHeight: 100)
        #expect(parse.detections.count == 7)
        #expect(parse.notes == ["reply was cut off; kept the 7 complete items before the cut"])
    }

    @Test func proseOnlyEmptyAndOddShapesGiveZeroItemsWithANote() {
        let prose = DetectionParser.parse(text: "There are no cupcakes here.", imageWidth: 10, imageHeight: 10)
        #expect(prose.detections.isEmpty)
        #expect(prose.notes == ["no JSON found in the reply (27 characters of text)"])
        let empty = DetectionParser.parse(text: " \n", imageWidth: 10, imageHeight: 10)
        #expect(empty.detections.isEmpty)
        #expect(empty.notes == ["reply is empty"])
        let scalar = DetectionParser.parse(text: "```json\n{\"count\": 3}\n```", imageWidth: 10, imageHeight: 10)
        #expect(scalar.notes == ["reply JSON is an object without a list of items"])
        let nested = DetectionParser.parse(text: "[[1, 2]]", imageWidth: 10, imageHeight: 10)
        #expect(nested.notes == ["item 1: is an array, not an object; skipped"])
        let wrapped = DetectionParser.parse(
            text: #"{"objects": [{"box_2d": [0, 0, 500, 500], "label": "w"}]}"#, imageWidth: 10, imageHeight: 10)
        #expect(wrapped.detections.map(\.box) == [PixelBox(x: 0, y: 0, width: 5, height: 5)])
        #expect(wrapped.notes == ["items read from the reply's \"objects\" list"])
    }

    @Test func unusableImageSizeReadsNothing() {
        let parse = DetectionParser.parse(text: #"[{"box_2d": [0, 0, 5, 5]}]"#, imageWidth: 0, imageHeight: 10)
        #expect(parse.detections.isEmpty)
        #expect(parse.notes == ["image size 0x10 is not usable; no boxes read"])
    }

    @Test func detectionEncodesWithSidecarKeys() throws {
        let detection = Detection(label: "a", box2d: [1, 2, 3, 4.5], box: PixelBox(x: 1, y: 2, width: 3, height: 4))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(detection), as: UTF8.self)
        #expect(json == #"{"box":{"height":4,"width":3,"x":1,"y":2},"box_2d":[1,2,3,4.5],"label":"a"}"#)
    }
}
