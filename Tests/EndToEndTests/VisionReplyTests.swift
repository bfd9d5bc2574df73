import DropsightTestSupport
import Foundation
import Imaging
import Prompts
import Testing

@testable import Dropsight

/// Real and hostile spatial replies, served by the emulator's `--replies`, read by the running daemon.
@Suite(.serialized, .cleansUp) struct VisionReplyTests {
    /// Items in each verbatim reply of `shared/reference/gemini-examples`.
    static let expectedCounts = ReferenceExamples.spatialItemCounts

    /// One configured prompt and the reply the emulator gives it.
    struct Case {
        var name: String
        var kind: String
        var reply: [String: String]
        var writeMasks = false
    }

    static func hostileCases() throws -> [Case] {
        let labels =
            #"[{"box_2d": [100, 100, 300, 300], "label": "../../etc/passwd"}, "#
            + #"{"box_2d": [400, 400, 600, 600], "label": "<span foreground=\"red\">big</span> &amp; <b>"}, "#
            + #"{"box_2d": [650, 650, 900, 900], "label": "../escape/x.png"}]"#
        let many = "[" + Array(repeating: #"{"box_2d": [10, 10, 20, 20], "label": "x"}"#, count: 10_000).joined(separator: ",\n") + "]"
        let numbers =
            #"[{"box_2d": [NaN, 0, 10, 10], "label": "nan"}, {"box_2d": [-50, -20, 500, 400], "label": "negative"}, "#
            + #"{"box_2d": ["100", "200", "300", "400"], "label": "strings"}, {"box_2d": [500, 500, 400, 600], "label": "degenerate"}]"#

        let good = try ImageCodec.encodePNG(PixelImage(width: 256, height: 256, bands: 1, fill: 255))
        let huge = try ImageCodec.encodePNG(PixelImage(width: 5000, height: 5000, bands: 1, fill: 255))
        let mask: (String, Data) -> String = { label, png in
            #"{"box_2d": [100, 100, 400, 400], "label": "\#(label)", "mask": "data:image/png;base64,\#(png.base64EncodedString())"}"#
        }
        let masks =
            "```json\n["
            + [
                mask("good", good),
                mask("not png", Data("hello, this is not a picture".utf8)),
                mask("huge png", huge),
                mask("truncated png", good.prefix(good.count / 2)),
                #"{"box_2d": [100, 100, 400, 400], "label": "huge base64", "mask": "data:image/png;base64,\#(String(repeating: "A", count: 3_000_000))"}"#,
                #"{"box_2d": [100, 100, 400, 400], "label": "tokens", "mask": "<start_of_mask><seg_35><seg_65><seg_12>"}"#,
            ].joined(separator: ",\n") + "]\n```"

        let reference = try ReferenceExamples.text("spatial_segmentation_masks_fenced_2026-06.txt")
        let cut = String(reference.prefix(reference.count * 6 / 10))
        return [
            Case(name: "h_labels", kind: "detect", reply: ["reply": labels]),
            Case(name: "h_many", kind: "detect", reply: ["reply": many]),
            Case(name: "h_numbers", kind: "detect", reply: ["reply": numbers]),
            Case(name: "h_masks", kind: "segment", reply: ["reply": masks], writeMasks: true),
            Case(name: "h_cut", kind: "segment", reply: ["reply": cut], writeMasks: true),
            Case(
                name: "j_prose", kind: "json",
                reply: ["reply": "Here you go:\n```json\n{\"count\": 3, \"colors\": [\"red\"]}\n```\nHope it helps!"]),
        ]
    }

    static func referenceCases() throws -> [Case] {
        let examples = try ReferenceExamples.directory()
        let files = try ReferenceExamples.names(prefix: "spatial_")
        #expect(Set(files) == Set(expectedCounts.keys), "a spatial_* payload has no expected count here")
        return files.enumerated().map { index, file in
            Case(
                name: "ref\(index)", kind: file.contains("segmentation") ? "segment" : "detect",
                reply: ["replyFile": examples.appendingPathComponent(file).path], writeMasks: file.contains("segmentation"))
        }
    }

    @Test func everyReferenceAndHostileReplyIsReadSafelyWithNotes() async throws {
        let references = try Self.referenceCases()
        let cases = try references + Self.hostileCases()
        let temporary = try TemporaryFolder(prefix: "ds-replies")
        defer { temporary.cleanup() }
        let scratch = temporary.url
        // Each prompt carries a marker the emulator's rules match; the rest of the text makes no difference.
        let rules = cases.map { c -> [String: String] in c.reply.merging(["match": "marker-\(c.name)-end"]) { a, _ in a } }
        let repliesFile = scratch.appendingPathComponent("replies.json")
        try JSONSerialization.data(withJSONObject: rules).write(to: repliesFile)
        let prompts = cases.map { c in
            """
            [prompt.\(c.name)]
            kind = "\(c.kind)"
            text = "marker-\(c.name)-end: find the items, box_2d on the 0-1000 grid."
            write_masks = \(c.writeMasks)
            """
        }.joined(separator: "\n\n")

        let h = try await Harness(prompts: prompts, folderPrompts: cases.map(\.name), api: "max_concurrency = 2") {
            $0.repliesFile = repliesFile
        }
        let before = Self.allFiles(below: h.root)
        var image = PixelImage(width: 1000, height: 750, bands: 3, fill: 255)
        image.fillRect(x: 300, y: 200, width: 300, height: 250, color: [200, 40, 40])
        let photo = "photo.jpg"
        let path = try Drop.file(try ImageCodec.encodeJPEG(image, quality: 90), named: photo, in: h.inbox)
        let count = cases.count
        let sidecar = try #require(try await DaemonRun.with(h) { await h.waitForSidecar(path, prompts: count, seconds: 180) })
        for c in cases {
            let r = try #require(sidecar.prompts[c.name])
            #expect(r.status == .ok, "\(c.name): \(r.error?.message ?? "")")
            #expect(r.overlay == (c.kind == "json" ? nil : "\(photo).\(c.name).png"), "\(c.name): \(r.notes ?? [])")
        }
        let json = try #require(sidecar.prompts["j_prose"])
        #expect(json.json?["count"] == .number(3) && json.json?["colors"] == .array([.string("red")]))
        #expect(json.notes == ["text around the JSON was ignored"])

        for (index, file) in references.map({ $0.reply["replyFile"]! }).enumerated() {
            let r = try #require(sidecar.prompts["ref\(index)"])
            let expected = Self.expectedCounts[(file as NSString).lastPathComponent]
            #expect((r.detections?.count ?? r.segments?.count) == expected, "\(file)")
            if let segments = r.segments {
                #expect(segments.allSatisfy { $0.maskDecoded && $0.maskForm == .png && ($0.area ?? 0) > 0 }, "\(file)")
                #expect(r.masks?.count == expected)
            }
        }

        let labels = try #require(sidecar.prompts["h_labels"]?.detections)
        #expect(labels.map(\.label) == ["../../etc/passwd", "<span foreground=\"red\">big</span> &amp; <b>", "../escape/x.png"])

        let many = try #require(sidecar.prompts["h_many"])
        #expect(many.detections?.count == 1_000)
        #expect(many.notes?.contains { $0.contains("10000 items; only the first 1000") } == true, "\(many.notes ?? [])")

        let numbers = try #require(sidecar.prompts["h_numbers"])
        #expect(numbers.detections?.map(\.label) == ["negative", "strings"])
        #expect(numbers.detections?.first?.box == PixelBox(x: 0, y: 0, width: 400, height: 375))
        let numberNotes = numbers.notes ?? []
        #expect(numberNotes.contains { $0.contains("item 1") && $0.contains("not a finite number") }, "\(numberNotes)")
        #expect(numberNotes.contains { $0.contains("item 2") && $0.contains("clamped") }, "\(numberNotes)")
        #expect(numberNotes.contains { $0.contains("item 4") && $0.contains("is empty") }, "\(numberNotes)")

        let masks = try #require(sidecar.prompts["h_masks"]?.segments)
        func segment(_ label: String) -> PromptResult.SegmentEntry? { masks.first { $0.label == label } }
        #expect(segment("good")?.maskDecoded == true)
        #expect(segment("good")?.maskFile == "\(photo).h_masks.mask-0.png")
        #expect(segment("not png")?.note?.contains("not a PNG") == true, "\(segment("not png")?.note ?? "")")
        #expect(segment("huge png")?.note?.contains("5000x5000") == true, "\(segment("huge png")?.note ?? "")")
        #expect(segment("truncated png")?.maskDecoded == false)
        #expect(segment("truncated png")?.note?.isEmpty == false)
        #expect(segment("huge base64")?.note?.contains("more than") == true, "\(segment("huge base64")?.note ?? "")")
        #expect(segment("tokens")?.maskForm == .tokens)
        #expect(sidecar.prompts["h_masks"]?.masks == ["\(photo).h_masks.mask-0.png"])

        let cut = try #require(sidecar.prompts["h_cut"])
        #expect((cut.segments?.count ?? 0) > 0 && (cut.segments?.count ?? 0) < 15, "\(cut.segments?.count ?? 0)")
        #expect(cut.notes?.contains { $0.contains("cut off") } == true, "\(cut.notes ?? [])")

        // Nothing but the sidecar, overlays and masks appeared, all beside the image.
        var expected: Set<String> = [path, path + OutputNames.sidecarSuffix]
        for c in cases where c.kind != "json" {
            expected.insert("\(path).\(c.name).png")
            for mask in sidecar.prompts[c.name]?.masks ?? [] { expected.insert(h.inbox + "/" + mask) }
        }
        let appeared = Self.allFiles(below: h.root).subtracting(before).filter { !$0.hasPrefix(h.stateDir + "/") }
        #expect(
            appeared == expected,
            "unexpected: \(appeared.subtracting(expected).sorted()), missing: \(expected.subtracting(appeared).sorted())")
        try SidecarSchema.expectValid(below: h.inbox)
        await h.stop()
    }

    static func allFiles(below folder: String) -> Set<String> {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        return Set(
            walker.compactMap { $0 as? String }.map { folder + "/" + $0 }.filter {
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue
            })
    }
}
