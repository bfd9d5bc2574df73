/// What dropsight has to say about one image in its XMP sidecar, taken from the JSON sidecar's results.
public struct XMPContribution: Sendable, Equatable {
    /// Keywords, hierarchical ones as `Parent|Child`, in the order found (already deduplicated).
    public var keywords: [String]
    /// `dc:description` (x-default), from the prompt marked `xmp = "description"`.
    public var description: String?
    /// `dc:title` (x-default), from the prompt marked `xmp = "title"`.
    public var title: String?
    /// `Iptc4xmpCore:AltTextAccessibility` (x-default), from the prompt marked `xmp = "alt_text"`.
    public var altText: String?

    public init(keywords: [String] = [], description: String? = nil, title: String? = nil, altText: String? = nil) {
        self.keywords = keywords
        self.description = description
        self.title = title
        self.altText = altText
    }

    /// `dc:subject`: each keyword's last level (`Animals|Dog` → `Dog`).
    var subjects: [String] { Self.unique(keywords.map { String($0.split(separator: "|").last ?? "") }) }

    /// `lr:hierarchicalSubject`: the keywords as they are, levels joined by `|`.
    var hierarchicalSubjects: [String] { Self.unique(keywords) }

    /// `digiKam:TagsList`: levels joined by `/` (`Animals/Dog`).
    var tagsList: [String] { Self.unique(keywords.map { $0.split(separator: "|").joined(separator: "/") }) }

    /// `values` without empty ones and without later case-insensitive repeats.
    public static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }
}
