import DropsightTestSupport
import Foundation
import Testing

@testable import Prompts

/// A PNG decoder for the masks these tests write: it knows each PNG it was given and nothing else.
struct KnownPNGs {
    struct Unknown: Error {}
    var images: [Data: (width: Int, height: Int, gray: [UInt8])] = [:]

    mutating func dataURL(width: Int, height: Int, gray: [UInt8]) -> String {
        images[TestPNG.grayscale(width: width, height: height, gray: gray)] = (width, height, gray)
        return TestPNG.dataURL(width: width, height: height, gray: gray)
    }

    func decode(_ data: Data) throws -> (width: Int, height: Int, gray: [UInt8]) {
        guard let image = images[data] else { throw Unknown() }
        return image
    }
}

@Suite struct SegmentationParserTests {
    /// 256x256: the left half at `left`, the right half at `right`.
    static func halves(left: UInt8, right: UInt8) -> [UInt8] {
        (0..<256 * 256).map { $0 % 256 < 128 ? left : right }
    }

    @Test func pngMaskIsResizedToTheBoxAndThresholded() {
        var pngs = KnownPNGs()
        let mask = pngs.dataURL(width: 256, height: 256, gray: Self.halves(left: 127, right: 126))
        let text = #"[{"box_2d": [100, 200, 300, 400], "mask": "\#(mask)", "label": "half"}]"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 1000, imageHeight: 500, decodePNG: pngs.decode)
        #expect(parse.notes.isEmpty)
        #expect(
            parse.segments == [
                Segment(
                    detection: Detection(
                        label: "half", box2d: [100, 200, 300, 400], box: PixelBox(x: 200, y: 50, width: 200, height: 100)),
                    maskForm: .png, maskDecoded: true, area: 100 * 100, note: nil)
            ])
        let bitmap = try! #require(parse.masks[0])
        #expect(bitmap.width == 200 && bitmap.height == 100)
        #expect(bitmap[x: 99, y: 50] && !bitmap[x: 100, y: 50])
        #expect(Set(bitmap.pixels) == [0, 255])
    }

    @Test func thresholdIsConfigurable() {
        var pngs = KnownPNGs()
        let mask = pngs.dataURL(width: 256, height: 256, gray: Self.halves(left: 200, right: 100))
        let text = #"[{"box_2d": [0, 0, 1000, 1000], "mask": "\#(mask)", "label": "m"}]"#
        let strict = SegmentationParser.parse(text: text, imageWidth: 64, imageHeight: 64, threshold: 201, decodePNG: pngs.decode)
        let loose = SegmentationParser.parse(text: text, imageWidth: 64, imageHeight: 64, threshold: 100, decodePNG: pngs.decode)
        #expect(strict.segments.first?.area == 0)
        #expect(loose.segments.first?.area == 64 * 64)
    }

    @Test func segmentationTokensKeepBoxAndLabel() {
        let text = #"```json\#n[{"box_2d": [10, 20, 30, 40], "mask": "<start_of_mask><seg_35><seg_65><seg_12>", "label": "jar"}]\#n```"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 1000, imageHeight: 1000) { _ in
            Issue.record("tokens must not reach the PNG decoder")
            throw KnownPNGs.Unknown()
        }
        #expect(
            parse.segments == [
                Segment(
                    detection: Detection(label: "jar", box2d: [10, 20, 30, 40], box: PixelBox(x: 20, y: 10, width: 20, height: 20)),
                    maskForm: .tokens, maskDecoded: false, area: nil, note: "mask not decodable (segmentation tokens)")
            ])
        #expect(parse.masks.isEmpty)
        #expect(parse.notes == ["1 masks came back as segmentation tokens, which cannot be decoded; boxes and labels kept"])
    }

    @Test(arguments: [
        (#"[[0, 0], [0, 1000], [1000, 1000], [1000, 0]]"#, PointOrder.yx),
        (#"[0, 0, 0, 1000, 1000, 1000, 1000, 0]"#, PointOrder.yx),
        (#"[[0, 0], [1000, 0], [1000, 1000], [0, 1000]]"#, PointOrder.xy),
        (#"[{"x": 0, "y": 0}, {"x": 1000, "y": 0}, {"x": 1000, "y": 1000}, {"x": "0", "y": "1000"}]"#, PointOrder.yx),
    ])
    func polygonCoveringTheImageFillsTheBox(polygon: String, order: PointOrder) {
        let text = #"[{"box_2d": [250, 250, 750, 750], "points": \#(polygon), "label": "all"}]"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 40, imageHeight: 20, pointOrder: order) { _ in
            throw KnownPNGs.Unknown()
        }
        #expect(parse.segments.first?.maskForm == .polygon)
        #expect(parse.segments.first?.area == 20 * 10)
        #expect(parse.masks[0]?.width == 20 && parse.masks[0]?.height == 10)
    }

    @Test func polygonIsPlacedInImageCoordinatesAndClippedToTheBox() throws {
        // A triangle with its right angle at the top-left of a 100x100 image; box covers the top-left quarter.
        let text = #"[{"box_2d": [0, 0, 500, 500], "polygon": [[0, 0], [0, 1000], [1000, 0]], "label": "tri"}]"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 100, imageHeight: 100) { _ in throw KnownPNGs.Unknown() }
        let mask = try #require(parse.masks[0])
        // Every pixel centre of the box's quarter has x + y < 100, so the whole quarter is inside the triangle.
        #expect(mask[x: 0, y: 0] && mask[x: 49, y: 49] && mask[x: 49, y: 0])
        #expect(parse.segments.first?.area == 50 * 50)
        let xy = SegmentationParser.parse(
            text: #"[{"box_2d": [0, 0, 1000, 1000], "polygon": [[0, 0], [100, 0], [100, 500]], "label": "t"}]"#,
            imageWidth: 100, imageHeight: 100, pointOrder: .xy
        ) { _ in throw KnownPNGs.Unknown() }
        let thin = try #require(xy.masks[0])
        #expect(thin[x: 5, y: 2] && !thin[x: 2, y: 45] && !thin[x: 50, y: 50])
    }

    @Test func autoOrderReadsEachPolygonTheWayItFitsItsBox() {
        // The box is wide and short (y 100-300, x 500-900); the same rectangle given both ways.
        let asXY = "[[500, 100], [900, 100], [900, 300], [500, 300]]"
        let asYX = "[[100, 500], [100, 900], [300, 900], [300, 500]]"
        let text =
            #"[{"box_2d": [100, 500, 300, 900], "mask": \#(asXY), "label": "xy"}, "#
            + #"{"box_2d": [100, 500, 300, 900], "mask": \#(asYX), "label": "yx"}]"#
        let auto = SegmentationParser.parse(text: text, imageWidth: 100, imageHeight: 100, pointOrder: .auto) { _ in
            throw KnownPNGs.Unknown()
        }
        #expect(auto.segments.map(\.area) == [40 * 20, 40 * 20])
        #expect(auto.segments.map(\.note) == ["polygon points read as [x, y]", nil])
        let fixed = SegmentationParser.parse(text: text, imageWidth: 100, imageHeight: 100) { _ in throw KnownPNGs.Unknown() }
        // Read as [y, x], the first rectangle is tall and narrow and misses the box entirely.
        #expect(fixed.segments.map(\.area) == [0, 40 * 20])
    }

    @Test func polygonWithTwoRingsUsesEvenOdd() {
        let outer = "[[0, 0], [0, 1000], [1000, 1000], [1000, 0]]"
        let hole = "[[250, 250], [250, 750], [750, 750], [750, 250]]"
        let text = #"[{"box_2d": [0, 0, 1000, 1000], "mask": [\#(outer), \#(hole)], "label": "ring"}]"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 100, imageHeight: 100) { _ in throw KnownPNGs.Unknown() }
        #expect(parse.segments.first?.area == 100 * 100 - 50 * 50)
        #expect(parse.masks[0]?[x: 50, y: 50] == false)
    }

    @Test func polygonWithoutBoxGetsItsBounds() {
        let text = #"[{"points": [[100, 200], [100, 600], [500, 600], [500, 200]], "label": "p"}]"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 1000, imageHeight: 1000) { _ in throw KnownPNGs.Unknown() }
        #expect(
            parse.segments.first?.detection
                == Detection(
                    label: "p", box2d: [100, 200, 500, 600], box: PixelBox(x: 200, y: 100, width: 400, height: 400)))
        #expect(parse.segments.first?.area == 400 * 400)
        #expect(parse.segments.first?.note == "no box_2d; box taken from the polygon's bounds")
    }

    @Test func hostileMasksKeepTheBoxAndSayWhy() throws {
        var pngs = KnownPNGs()
        let good = pngs.dataURL(width: 256, height: 256, gray: Self.halves(left: 255, right: 0))
        let base64 = good.dropFirst("data:image/png;base64,".count)
        let truncated = "data:image/png;base64," + base64.prefix(base64.count / 8 * 4 + 1)
        let notPNG = "data:image/png;base64," + Data("GIF89a, not a png at all".utf8).base64EncodedString()
        let huge = "data:image/png;base64," + String(repeating: "A", count: 3 * 1024 * 1024)
        let bomb = "data:image/png;base64," + TestPNG.headerOnly(width: 30_000, height: 30_000).base64EncodedString()
        let lying = pngs.dataURL(width: 2, height: 2, gray: [0, 0, 0, 0])
        pngs.images[TestPNG.grayscale(width: 2, height: 2, gray: [0, 0, 0, 0])] = (2, 2, [0, 0, 0])
        let masks: [String] = [
            #""\#(truncated)""#, #""\#(notPNG)""#, #""\#(huge)""#, #""\#(bomb)""#, #""\#(lying)""#,
            #""data:image/png,rawbytes""#, #""just words""#, "42", #"[[1, 2], [NaN, 4], [5, 6]]"#, "[[1, 2], [3, 4]]",
            #""\#(good)""#,
        ]
        let items = masks.enumerated().map { #"{"box_2d": [0, 0, 100, 100], "mask": \#($1), "label": "m\#($0)"}"# }
        let parse = SegmentationParser.parse(
            text: "[" + items.joined(separator: ",") + "]", imageWidth: 500, imageHeight: 500, decodePNG: pngs.decode)
        #expect(parse.segments.map(\.detection.label) == (0..<masks.count).map { "m\($0)" })
        #expect(parse.segments.map(\.maskDecoded) == Array(repeating: false, count: masks.count - 1) + [true])
        #expect(parse.segments.map(\.maskForm) == [.png, .png, .png, .png, .png, .png, .none, .none, .polygon, .polygon, .png])
        #expect(
            parse.segments.map(\.note) == [
                "mask base64 is invalid or truncated",
                "mask is not a PNG",
                "mask is \(huge.utf8.count) bytes of base64, more than the 2097152 allowed",
                "mask PNG is 30000x30000; accepted sizes are 1 to 4096 a side",
                "mask PNG decoded to 3 values for 2x2, not its header's 2x2",
                "mask data URL is not base64",
                "mask is text in no known form",
                "mask is a number, not a PNG, tokens or a polygon",
                "polygon has a point that is not a finite number on the 0-1000 grid",
                "polygon has fewer than 3 points",
                nil,
            ])
        #expect(parse.masks.keys.sorted() == [masks.count - 1])
        #expect(parse.segments.last?.area == 25 * 50)
        #expect(parse.notes == ["8 masks could not be decoded; each segment's note says why"])
    }

    @Test func decoderErrorsBecomeNotes() {
        struct Broken: Error, CustomStringConvertible { var description: String { "bad IDAT" } }
        let mask = TestPNG.dataURL(width: 4, height: 4, gray: Array(repeating: 9, count: 16))
        let parse = SegmentationParser.parse(
            text: #"[{"box_2d": [0, 0, 10, 10], "mask": "\#(mask)", "label": "x"}]"#,
            imageWidth: 100, imageHeight: 100
        ) { _ in throw Broken() }
        #expect(parse.segments.first?.note == "mask PNG could not be decoded: bad IDAT")
        #expect(parse.segments.first?.maskDecoded == false)
    }

    @Test func polygonPointCapAndPixelBudget() {
        let many = (0..<20_001).map { "[\($0 % 1000), \($0 % 997)]" }.joined(separator: ",")
        let square = "[[0, 0], [0, 1000], [1000, 1000], [1000, 0]]"
        let text =
            #"[{"box_2d": [0, 0, 1000, 1000], "mask": [\#(many)], "label": "spiky"}, "#
            + #"{"box_2d": [0, 0, 1000, 1000], "mask": \#(square), "label": "first"}, "#
            + #"{"box_2d": [0, 0, 1000, 1000], "mask": \#(square), "label": "over budget"}]"#
        let parse = SegmentationParser.parse(
            text: text, imageWidth: 100, imageHeight: 100, limits: SpatialLimits(maxTotalMaskPixels: 15_000)
        ) { _ in throw KnownPNGs.Unknown() }
        #expect(parse.segments.map(\.maskDecoded) == [false, true, false])
        #expect(parse.segments[0].note == "polygon has 20001 points, more than the 10000 allowed")
        #expect(parse.segments[2].note == "mask skipped: this reply's masks exceed 15000 pixels in total")
    }

    /// A zigzag of 2,100 edges each from top to bottom of a 4000-pixel-tall image crosses 8.4 million rows: it is not
    /// drawn (and nothing that size is allocated), while a plain square after it still is.
    @Test func polygonsThatCrossTooManyRowsAreNotDrawn() {
        let zigzag = (0..<2_100).map { "[\($0 * 1000 / 2_100), \($0 % 2 == 0 ? 0 : 1000)]" }.joined(separator: ",")
        let square = "[[0, 0], [0, 1000], [1000, 1000], [1000, 0]]"
        let text =
            #"[{"box_2d": [0, 0, 1000, 1000], "mask": [\#(zigzag)], "label": "zigzag"}, "#
            + #"{"box_2d": [0, 0, 1000, 1000], "mask": \#(square), "label": "square"}]"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 3000, imageHeight: 4000, pointOrder: .xy) { _ in
            throw KnownPNGs.Unknown()
        }
        #expect(parse.segments.map(\.maskDecoded) == [false, true])
        #expect(parse.segments[0].note == "polygon not drawn: this reply's polygons cross more than 8000000 pixel rows in total")
    }

    @Test func itemsWithoutBoxesOrObjectsAreSkipped() {
        let text =
            #"["mask", {"mask": "<start_of_mask><seg_1>", "label": "no box"}, {"box_2d": [5, 5, 5, 9], "label": "flat"}, {"box_2d": [0, 0, 9, 9], "label": "bare"}]"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 100, imageHeight: 100) { _ in throw KnownPNGs.Unknown() }
        #expect(parse.segments.map(\.detection.label) == ["bare"])
        #expect(parse.segments.first?.maskForm == MaskForm.none)
        #expect(parse.segments.first?.note == "no mask in the reply item")
        #expect(
            parse.notes == [
                "item 1: is a string, not an object; skipped",
                "item 2: has no box_2d; skipped",
                "item 3: box_2d [5, 5, 5, 9] is empty (ymin >= ymax or xmin >= xmax); dropped",
            ])
    }

    @Test func referenceReplyCutMidMaskKeepsTheCompleteItems() throws {
        let full = try ReferenceExamples.text("spatial_segmentation_masks_fenced_2026-06.txt")
        let eighth = full.ranges(of: "{\"box_2d\"")[7].lowerBound
        let cut = String(full[..<full.index(eighth, offsetBy: 300)])
        let parse = SegmentationParser.parse(text: cut, imageWidth: 800, imageHeight: 600) { _ in throw KnownPNGs.Unknown() }
        #expect(parse.segments.count == 7)
        #expect(parse.notes.first == "reply was cut off; kept the 7 complete items before the cut")
    }

    @Test func segmentEncodesWithSidecarKeys() throws {
        let segment = Segment(
            detection: Detection(label: "a", box2d: [1, 2, 3, 4], box: PixelBox(x: 0, y: 0, width: 1, height: 1)),
            maskForm: .tokens, maskDecoded: false, area: nil, note: "n")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(segment), as: UTF8.self)
        #expect(json.contains(#""mask_decoded":false,"mask_form":"tokens","note":"n""#))
        #expect(try JSONDecoder().decode(Segment.self, from: Data(json.utf8)) == segment)
    }
}
