import DropsightTestSupport
import Foundation
import Testing

@testable import Dropsight

/// `xmp = true`: the daemon and `dropsight process` write `IMG.jpg.xmp` from the same results as the JSON
/// sidecar, merged into what a person wrote, read back with exiftool.
@Suite(.serialized, .cleansUp) struct XMPSidecarTests {
    static let prompts = """
        [prompt.caption]
        text = "Write a one-sentence caption for this photo."
        xmp = "description"

        [prompt.tags]
        kind = "keywords"
        max_keywords = 8
        vocabulary = ["Shapes|Square"]
        """

    @Test(.enabled(if: DaemonProcess.binaryExists && ExifTool.exists, "needs the dropsight binary and exiftool"))
    func xmpMatchesTheSidecarKeepsThePersonsFieldsAndGainsNoDuplicates() async throws {
        let h = try await Harness(prompts: Self.prompts, folderPrompts: ["caption", "tags"])
        var toml = try String(contentsOfFile: h.configPath, encoding: .utf8)
        toml = toml.replacingOccurrences(of: "settle_ms = 200", with: "settle_ms = 200\nxmp = true")
        try toml.write(toFile: h.configPath, atomically: true, encoding: .utf8)

        let image = try h.dropImage(named: "a.jpg")
        let photo = try Data(contentsOf: URL(fileURLWithPath: image))
        let xmpPath = image + ".xmp"
        try ExifTool.run(["-q", "-XMP-dc:Subject=holiday", "-XMP-xmp:Rating=3", xmpPath])

        let daemon = try await DaemonProcess(h, log: h.root + "/daemon.log")
        #expect(await eventually(90) { h.sidecar(of: image)?.prompts.count == 2 })
        let sidecar = try #require(h.sidecar(of: image))
        let keywords = try #require(sidecar.prompts["tags"]?.keywords)
        #expect(!keywords.isEmpty)
        try expectXMP(xmpPath, matches: sidecar)

        let first = try h.sidecar(of: image).flatMap { $0.prompts["tags"]?.completedAt }
        let reprocessed = try await DaemonProcess.command(["reprocess", image], h)
        #expect(reprocessed.status == 0)
        #expect(await eventually(60) { h.sidecar(of: image)?.prompts["tags"]?.completedAt != first })
        daemon.signal(SIGTERM)
        #expect(await daemon.exit(within: 30) == 0)
        try expectXMP(xmpPath, matches: try #require(h.sidecar(of: image)))

        let again = try await DropsightBinary().run(["process", image], harness: h)
        #expect(again.status == 0, "stderr: \(again.stderr)")
        try expectXMP(xmpPath, matches: try #require(h.sidecar(of: image)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: image)) == photo, "the photo is never modified")
        await h.stop()
    }

    /// The XMP holds the sidecar's keywords and caption once each, beside the person's keyword and rating.
    private func expectXMP(_ path: String, matches sidecar: Sidecar) throws {
        let xmp = try ExifTool.xmp(of: path)
        let keywords = sidecar.prompts["tags"]?.keywords ?? []
        var seen: Set<String> = ["holiday"]
        let leaves = keywords.map { String($0.split(separator: "|").last!) }.filter { seen.insert($0.lowercased()).inserted }
        #expect(ExifTool.list(xmp["Subject"]) == ["holiday"] + leaves)
        #expect(ExifTool.list(xmp["HierarchicalSubject"]) == keywords)
        #expect(ExifTool.list(xmp["TagsList"]) == keywords.map { $0.replacingOccurrences(of: "|", with: "/") })
        let caption = sidecar.prompts["caption"]?.text?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(xmp["Description"] as? String == caption)
        #expect("\(xmp["Rating"] ?? "")" == "3")
    }
}
