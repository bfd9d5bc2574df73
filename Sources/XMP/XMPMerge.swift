import Foundation

/// Merges dropsight's findings into an XMP sidecar without clobbering what a person wrote.
///
/// dropsight records, in its own namespace (`dropsight:subject`, `dropsight:description`, ...), exactly the
/// values it put into each field. A later run removes only those and adds its new ones, so nothing is
/// duplicated; a person's keyword is never removed, and one dropsight also found stays the person's. A
/// text field (`dc:description`, `dc:title`, alt text) is replaced only while it still holds what dropsight
/// wrote there; once a person edits it, it is theirs. Every other field (ratings, labels, history) is kept.
public enum XMPMerge {
    /// The sidecar `existing` (nil when there is none yet) with `contribution` merged in, serialised.
    ///
    /// Throws when `existing` is not readable XMP: such a file is left alone rather than replaced.
    public static func merged(existing: Data?, contribution: XMPContribution) throws(XMPError) -> Data {
        let packet = try XMPPacket(parsing: existing)
        let dc = XMPNamespace.dublinCore
        try mergeList(packet, dc, "subject", own: "subject", values: contribution.subjects, ordered: false)
        try mergeList(
            packet, XMPNamespace.lightroom, "hierarchicalSubject", own: "hierarchicalSubject",
            values: contribution.hierarchicalSubjects, ordered: false)
        try mergeList(packet, XMPNamespace.digiKam, "TagsList", own: "tagsList", values: contribution.tagsList, ordered: true)
        try mergeText(packet, dc, "description", own: "description", value: contribution.description)
        try mergeText(packet, dc, "title", own: "title", value: contribution.title)
        try mergeText(packet, XMPNamespace.iptcCore, "AltTextAccessibility", own: "altText", value: contribution.altText)
        return try packet.serialized()
    }

    /// The field keeps the items dropsight did not write (in their order), followed by `values` that none
    /// of them already holds (compared case-insensitively); `dropsight:<own>` records the latter.
    private static func mergeList(
        _ packet: XMPPacket, _ namespace: String, _ name: String, own: String, values: [String], ordered: Bool
    ) throws(XMPError) {
        let previous = Set(packet.items(XMPNamespace.dropsight, own).map { $0.lowercased() })
        let persons = packet.items(namespace, name).filter { !previous.contains($0.lowercased()) }
        let held = Set(persons.map { $0.lowercased() })
        let added = values.filter { !held.contains($0.lowercased()) }
        try packet.setItems(namespace, name, persons + added, ordered: ordered)
        try packet.setItems(XMPNamespace.dropsight, own, added, ordered: false)
    }

    /// Sets the x-default text to `value` when the field is empty or still holds what dropsight wrote
    /// (`dropsight:<own>`); a person's text stays. Nothing changes when there is no `value`.
    private static func mergeText(
        _ packet: XMPPacket, _ namespace: String, _ name: String, own: String, value: String?
    ) throws(XMPError) {
        guard let value, !value.isEmpty else { return }
        let current = packet.defaultText(namespace, name)
        if current == nil || current == packet.property(XMPNamespace.dropsight, own) {
            try packet.setDefaultText(namespace, name, value)
            try packet.setProperty(XMPNamespace.dropsight, own, value)
        } else {
            try packet.setProperty(XMPNamespace.dropsight, own, nil)
        }
    }
}
