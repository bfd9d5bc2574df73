import FileAccess
import Foundation

/// Every file name dropsight writes for an image, and the test that tells them from images.
///
/// Names are built only from the image's own file name, a prompt name and an index, never from a
/// reply, so nothing the model says can choose where a file goes:
/// `IMG.jpg.dropsight.json` (sidecar), `IMG.jpg.NAME.png` (overlay), `IMG.jpg.NAME.mask-N.png` (mask),
/// `IMG.jpg.xmp` or `IMG.xmp` (XMP sidecar) and `.dropsight-tmp-*.tmp` (a write in progress).
public struct OutputNames: Sendable, Equatable {
    /// The image's file name (`IMG.jpg`).
    public let imageName: String

    public init(imageName: String) { self.imageName = imageName }

    public static let sidecarSuffix = ".dropsight.json"
    static let xmpSuffix = ".xmp"
    /// Prefix of temporary files; they start with a dot so watchers skip them.
    public static let temporaryPrefix = ".dropsight-tmp-"
    static let temporarySuffix = ".tmp"

    /// `IMG.jpg.dropsight.json`.
    public var sidecar: String { imageName + Self.sidecarSuffix }

    /// `IMG.jpg.NAME.png`.
    public func overlay(prompt: String) -> String { "\(imageName).\(prompt).png" }

    /// `IMG.jpg.NAME.mask-N.png`; `index` is the segment's position in the sidecar's `segments`.
    public func mask(prompt: String, index: Int) -> String { "\(imageName).\(prompt).mask-\(index).png" }

    /// The index of `name` when it is one of this image's masks for `prompt`, else nil.
    func maskIndex(of name: String, prompt: String) -> Int? {
        let prefix = "\(imageName).\(prompt).mask-"
        guard name.hasPrefix(prefix), name.hasSuffix(".png") else { return nil }
        let number = name.dropFirst(prefix.count).dropLast(4)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(number)
    }

    /// `IMG.jpg.xmp`, or `IMG.xmp` with `.basename` (an image without an extension keeps its whole name).
    public func xmp(_ naming: XMPNaming) -> String {
        switch naming {
        case .full: return imageName + Self.xmpSuffix
        case .basename:
            guard let dot = imageName.lastIndex(of: "."), dot != imageName.startIndex else { return imageName + Self.xmpSuffix }
            return imageName[..<dot] + Self.xmpSuffix
        }
    }

    /// A fresh name for a temporary file: `.dropsight-tmp-XXXXXXXXXXXX.tmp`.
    static func temporary() -> String { temporaryPrefix + UUID().uuidString.prefix(12) + temporarySuffix }

    static func isTemporary(_ name: String) -> Bool { name.hasPrefix(temporaryPrefix) && name.hasSuffix(temporarySuffix) }

    /// True for files dropsight itself writes, which must never be taken as new images: sidecars,
    /// temporaries, XMP sidecars (ours or a person's: never an image), and overlays and masks of a
    /// configured prompt beside the image they belong to.
    public static func isOwnOutput(_ path: String, promptNames: Set<String>) -> Bool {
        let name = (path as NSString).lastPathComponent
        if name.hasSuffix(sidecarSuffix) || name.hasPrefix(temporaryPrefix) || isXMP(name) { return true }
        guard name.hasSuffix(".png") else { return false }
        let parts = name.dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return false }
        var promptPart = String(parts[parts.count - 1])
        var drop = 1
        if promptPart.hasPrefix("mask-"), parts.count >= 4 {
            promptPart = String(parts[parts.count - 2])
            drop = 2
        }
        guard promptNames.contains(promptPart) else { return false }
        let imageName = parts.dropLast(drop).joined(separator: ".")
        let dir = (path as NSString).deletingLastPathComponent
        return PathBytes.exists(dir + "/" + imageName, followingLinks: true)
    }

    /// An XMP sidecar, by its extension in any case (`.xmp`, `.XMP`).
    static func isXMP(_ name: String) -> Bool { name.utf8.count > 4 && name.suffix(4).lowercased() == xmpSuffix }

    /// ``isOwnOutput(_:promptNames:)`` without Foundation path calls for the common cases (a scan asks
    /// for every entry): only sidecars, temporaries and PNGs can be dropsight's own files.
    static func isOwnOutputQuick(_ path: String, promptNames: Set<String>) -> Bool {
        if path.hasSuffix(sidecarSuffix) || path.contains("/" + temporaryPrefix) || isXMP(path) { return true }
        return path.hasSuffix(".png") && isOwnOutput(path, promptNames: promptNames)
    }
}
