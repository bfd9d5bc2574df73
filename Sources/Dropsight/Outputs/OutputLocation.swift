import FileAccess
import Foundation

/// Where an image's outputs go: beside the image, or at the same relative path under `output_dir`.
public struct OutputLocation: Sendable {
    /// The folder outputs are written to: beside the image, or the mirror under `output_dir`.
    public let directory: String
    /// The watched folder the image lies in: the image is opened beneath it.
    public let folderRoot: String
    /// The folder `directory` lies in (`output_dir`, or the watched folder): outputs are opened beneath it,
    /// never through a link.
    public let outputRoot: String
    /// The names of the image's outputs.
    public let names: OutputNames
    /// The XMP sidecar's name when the folder has `xmp = true`.
    public let xmpName: String?

    /// Outputs beside the image, or under `outputDir` at the same relative path below `folderRoot`; an XMP
    /// sidecar too when `xmp` is set.
    public init(imagePath: String, folderRoot: String, outputDir: String?, xmp: XMPNaming? = nil) {
        names = OutputNames(imageName: PathText.name(of: imagePath))
        xmpName = xmp.map(names.xmp)
        let imageDir = PathText.directory(of: imagePath)
        self.folderRoot = folderRoot
        outputRoot = outputDir ?? folderRoot
        if let outputDir {
            let relative = imageDir.hasPrefix(folderRoot) ? String(imageDir.dropFirst(folderRoot.count)) : ""
            directory = outputDir + relative
        } else {
            directory = imageDir
        }
    }

    /// The image's file name.
    public var imageName: String { names.imageName }
    public var sidecarPath: String { directory + "/" + names.sidecar }
    public var output: SafeOutput { SafeOutput(directory: directory, root: outputRoot) }
    /// Where the XMP sidecar goes, when the folder writes one.
    public var xmpPath: String? { xmpName.map { directory + "/" + $0 } }

    /// Writes the sidecar atomically, creating a mirror folder when needed.
    public func writeSidecar(_ sidecar: Sidecar) throws {
        try output.createFolderIfNeeded()
        try output.write(sidecar.encoded(), name: names.sidecar)
    }

    /// The sidecar currently on disk, if it is one we can read.
    public func readSidecar() -> Sidecar? {
        guard let data = try? output.read(name: names.sidecar, limit: Sidecar.maxBytes) else { return nil }
        return try? JSONDecoder().decode(Sidecar.self, from: data)
    }
}
