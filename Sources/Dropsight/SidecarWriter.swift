import Foundation

/// Where an image's outputs go and how they are named.
public struct OutputLocation: Sendable {
    /// The folder outputs are written to: beside the image, or the mirror under `output_dir`.
    public let directory: String
    /// The image's file name.
    public let imageName: String

    /// Outputs beside the image, or under `outputDir` at the same relative path below `folderRoot`.
    public init(imagePath: String, folderRoot: String, outputDir: String?) {
        let url = URL(fileURLWithPath: imagePath)
        imageName = url.lastPathComponent
        let imageDir = url.deletingLastPathComponent().path
        if let outputDir {
            let relative = imageDir.hasPrefix(folderRoot) ? String(imageDir.dropFirst(folderRoot.count)) : ""
            directory = outputDir + relative
        } else {
            directory = imageDir
        }
    }

    public var sidecarName: String { imageName + Sidecar.suffix }
    public var sidecarPath: String { directory + "/" + sidecarName }
    public func overlayName(prompt: String) -> String { "\(imageName).\(prompt).png" }
    public func maskName(prompt: String, index: Int) -> String { "\(imageName).\(prompt).mask-\(index).png" }
    public var output: SafeOutput { SafeOutput(directory: directory) }

    /// Writes the sidecar atomically, creating a mirror folder when needed.
    public func writeSidecar(_ sidecar: Sidecar) throws {
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try output.write(sidecar.encoded(), name: sidecarName)
    }

    /// The sidecar currently on disk, if it is one we can read.
    public func readSidecar() -> Sidecar? {
        guard let data = FileManager.default.contents(atPath: sidecarPath) else { return nil }
        return try? JSONDecoder().decode(Sidecar.self, from: data)
    }
}

/// True for files dropsight itself writes, which must never be taken as new images:
/// sidecars, overlays and masks (`IMG.jpg.NAME.png`, `IMG.jpg.NAME.mask-N.png` beside `IMG.jpg`) and temporaries.
public func isOwnOutput(_ path: String, promptNames: Set<String>) -> Bool {
    let name = (path as NSString).lastPathComponent
    if name.hasSuffix(Sidecar.suffix) || name.hasPrefix(SafeOutput.temporaryPrefix) { return true }
    guard name.hasSuffix(".png") else { return false }
    let stem = String(name.dropLast(4))
    let parts = stem.split(separator: ".", omittingEmptySubsequences: false)
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
    return FileManager.default.fileExists(atPath: dir + "/" + imageName)
}
