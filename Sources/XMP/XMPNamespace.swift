/// The XMP namespaces dropsight reads and writes, with the prefixes photo tools expect.
public enum XMPNamespace {
    public static let dublinCore = "http://purl.org/dc/elements/1.1/"
    public static let lightroom = "http://ns.adobe.com/lightroom/1.0/"
    public static let digiKam = "http://www.digikam.org/ns/1.0/"
    public static let iptcCore = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
    public static let xmpBasic = "http://ns.adobe.com/xap/1.0/"
    /// dropsight's own: which values in the other namespaces dropsight wrote, so a later run replaces only those.
    public static let dropsight = "https://dropsight.dev/ns/1.0/"

    /// Namespace → prefix, registered once with exempi before the first packet is made.
    static let prefixes: [(uri: String, prefix: String)] = [
        (dublinCore, "dc"), (lightroom, "lr"), (digiKam, "digiKam"), (iptcCore, "Iptc4xmpCore"), (xmpBasic, "xmp"),
        (dropsight, "dropsight"),
    ]
}
