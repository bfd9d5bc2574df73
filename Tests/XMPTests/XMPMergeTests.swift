import Foundation
import Testing

@testable import XMP

@Suite struct XMPMergeTests {
    private let dc = XMPNamespace.dublinCore

    /// A packet as a person's tool would have left it: `dc:subject`, `xmp:Rating` and a description.
    private func personsSidecar(subjects: [String], description: String? = nil) throws -> Data {
        let packet = try XMPPacket(parsing: nil)
        try packet.setItems(dc, "subject", subjects, ordered: false)
        try packet.setProperty(XMPNamespace.xmpBasic, "Rating", "4")
        if let description { try packet.setDefaultText(dc, "description", description) }
        return try packet.serialized()
    }

    @Test func freshSidecarHasEveryKeywordForm() throws {
        let data = try XMPMerge.merged(
            existing: nil,
            contribution: XMPContribution(keywords: ["Animals|Dog", "grass"], description: "A dog on grass.", title: "Dog"))
        let packet = try XMPPacket(parsing: data)
        #expect(packet.items(dc, "subject") == ["Dog", "grass"])
        #expect(packet.items(XMPNamespace.lightroom, "hierarchicalSubject") == ["Animals|Dog", "grass"])
        #expect(packet.items(XMPNamespace.digiKam, "TagsList") == ["Animals/Dog", "grass"])
        #expect(packet.defaultText(dc, "description") == "A dog on grass.")
        #expect(packet.defaultText(dc, "title") == "Dog")
        #expect(packet.defaultText(XMPNamespace.iptcCore, "AltTextAccessibility") == nil)
    }

    @Test func personsKeywordAndRatingStayAndRunsReplaceOnlyDropsightsOwn() throws {
        var data = try personsSidecar(subjects: ["dog", "holiday"])
        data = try XMPMerge.merged(existing: data, contribution: XMPContribution(keywords: ["Dog", "cat"]))
        var packet = try XMPPacket(parsing: data)
        #expect(packet.items(dc, "subject") == ["dog", "holiday", "cat"])
        #expect(packet.property(XMPNamespace.xmpBasic, "Rating") == "4")

        data = try XMPMerge.merged(existing: data, contribution: XMPContribution(keywords: ["Dog", "cat"]))
        packet = try XMPPacket(parsing: data)
        #expect(packet.items(dc, "subject") == ["dog", "holiday", "cat"], "a second run adds no duplicates")

        data = try XMPMerge.merged(existing: data, contribution: XMPContribution(keywords: ["bird"]))
        packet = try XMPPacket(parsing: data)
        #expect(packet.items(dc, "subject") == ["dog", "holiday", "bird"], "the person's dog stays; dropsight's cat goes")
        #expect(packet.property(XMPNamespace.xmpBasic, "Rating") == "4")
    }

    @Test func personsDescriptionIsNeverReplaced() throws {
        var data = try personsSidecar(subjects: [], description: "Grandma's garden")
        data = try XMPMerge.merged(existing: data, contribution: XMPContribution(description: "A garden."))
        #expect(try XMPPacket(parsing: data).defaultText(dc, "description") == "Grandma's garden")
    }

    @Test func dropsightsDescriptionIsReplacedByTheNextRun() throws {
        var data = try XMPMerge.merged(existing: nil, contribution: XMPContribution(description: "First."))
        data = try XMPMerge.merged(existing: data, contribution: XMPContribution(description: "Second."))
        #expect(try XMPPacket(parsing: data).defaultText(dc, "description") == "Second.")
    }

    @Test func unreadableSidecarThrowsInsteadOfBeingReplaced() {
        #expect(throws: XMPError.self) {
            try XMPMerge.merged(existing: Data("<x:xmpmeta><rdf:RDF".utf8), contribution: XMPContribution(keywords: ["dog"]))
        }
    }
}
