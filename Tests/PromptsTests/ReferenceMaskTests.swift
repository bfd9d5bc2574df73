import DropsightTestSupport
import Foundation
import Testing

@testable import Prompts

/// The verbatim segmentation reply, its masks decoded by libvips.
@Suite struct ReferenceMaskTests {
    static let file = "spatial_segmentation_masks_fenced_2026-06.txt"

    @Test func allFifteenMasksDecodeAndKeepTheirCoverage() throws {
        let text = try ReferenceExamples.text(Self.file)
        var coverage: [Double] = []
        let parse = SegmentationParser.parse(text: text, imageWidth: 1600, imageHeight: 1200) { data in
            let decoded = try MaskPNGDecoder.libvips(data)
            coverage.append(Double(decoded.gray.filter { $0 >= 127 }.count) / Double(decoded.gray.count))
            return decoded
        }
        #expect(parse.notes.isEmpty)
        #expect(parse.segments.count == 15)
        #expect(parse.masks.count == 15)
        #expect(parse.segments.allSatisfy { $0.maskForm == .png && $0.maskDecoded && $0.note == nil })
        #expect(coverage.count == 15)
        for (index, segment) in parse.segments.enumerated() {
            let mask = try #require(parse.masks[index])
            #expect(mask.width == segment.detection.box.width && mask.height == segment.detection.box.height)
            let area = try #require(segment.area)
            #expect(area == mask.area)
            // Resizing keeps the share of the box the mask covers (within a few percent at the edges).
            let share = Double(area) / Double(mask.width * mask.height)
            #expect(abs(share - coverage[index]) < 0.03, "mask \(index): \(share) vs \(coverage[index])")
            #expect(share > 0.1 && share < 0.95)
        }
        #expect(parse.segments.first?.detection.label == "glass jar with sprinkles")
        #expect(parse.segments.last?.detection.label == "wooden spoon")
    }

    @Test func ourOwnTestPNGsDecodeTheSameWithLibvips() throws {
        let gray = (0..<64 * 32).map { UInt8($0 % 251) }
        let decoded = try MaskPNGDecoder.libvips(TestPNG.grayscale(width: 64, height: 32, gray: gray))
        #expect(decoded.width == 64 && decoded.height == 32)
        #expect(decoded.gray == gray)
    }

    @Test func libvipsRejectsMasksThatAreNotImages() {
        let text = #"[{"box_2d": [0, 0, 500, 500], "mask": "data:image/png;base64,\#(Self.fakePNG)", "label": "x"}]"#
        let parse = SegmentationParser.parse(text: text, imageWidth: 100, imageHeight: 100, decodePNG: MaskPNGDecoder.libvips)
        #expect(parse.segments.count == 1)
        #expect(parse.segments.first?.maskDecoded == false)
        #expect(parse.segments.first?.note?.hasPrefix("mask PNG could not be decoded") == true)
    }

    /// A PNG signature and header for 16x16 grey, then garbage instead of image data.
    static let fakePNG: String = {
        var bytes = [UInt8](TestPNG.headerOnly(width: 16, height: 16))
        bytes += Array("this is not zlib data at all, just words".utf8)
        return Data(bytes).base64EncodedString()
    }()
}
