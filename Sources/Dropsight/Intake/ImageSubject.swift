import Foundation
import Imaging

/// An image about to be processed: its file facts, probed once, and its model copies made on demand.
///
/// A copy is made per requested resolution and kept for the other prompts of the same image, and so is the
/// picture overlays are drawn on (one decode per overlay size, shared by the detect and segment overlays,
/// made from the copy sent to the model when that is large enough, not from the photo). When its prompts want
/// different sizes (``plan(_:)``), the photo is decoded once, for the largest, and the smaller copies are made
/// from that copy.
public final class ImageSubject: @unchecked Sendable {
    // @unchecked: `copies`, `planned` and `overlayPictures` are only touched under `lock`; everything else is immutable.
    public let path: String
    public let facts: Sidecar.ImageFacts
    public let info: ImageInfo
    /// The one open file every read of this image goes through.
    private let file: ImageFile
    private let maxPixels: Int
    /// Held while a copy or an overlay picture is looked up or made, so prompts of the photo that ask at the
    /// same time make it once (callers are blocking-work threads, never Swift's cooperative pool).
    private let lock = NSLock()
    private var copies: [ResolutionSetting: PreparedImage] = [:]
    /// The resolutions this photo's prompts will ask for; nil until planned.
    private var planned: Set<ResolutionSetting>?
    private var overlayPictures: [Int: OverlayBase] = [:]

    /// Why an image cannot be processed at all; the sidecar records it and no retry will help.
    public struct Rejected: Error, CustomStringConvertible, Sendable {
        public var facts: Sidecar.ImageFacts
        public var code: String
        public var message: String
        public var description: String { message }
    }

    /// Opens the file once and reads its facts (size, SHA-256, format from content, dimensions, orientation).
    ///
    /// The file is opened beneath `root` (the watched folder; the image's own folder when nil) without
    /// following any link, and every later read (hash, probe, each copy, the overlay picture) uses that one
    /// open file. The SHA-256 intake recorded is reused when `recorded` names this very file (device, inode,
    /// size and mtime as intake saw them); otherwise the open file is hashed. Throws `Rejected` for anything
    /// that is not a supported, sane image file; a file over `maxFileBytes` is refused from its size alone
    /// (`file_too_large`), before any byte is read.
    public init(
        path: String, root: String? = nil, maxPixels: Int, maxFileBytes: Int64 = ImageSettings.defaultMaxFileBytes,
        recorded: RecordedFile? = nil
    ) throws(Rejected) {
        self.path = path
        self.maxPixels = maxPixels
        let name = (path as NSString).lastPathComponent
        let file: ImageFile
        do {
            file = try ImageFile(path: path, beneath: root)
        } catch {
            throw Self.unopenable(error, name: name)
        }
        self.file = file
        var facts = Sidecar.ImageFacts(file: name, bytes: Int64(file.size), sha256: "")
        if Int64(file.size) > maxFileBytes {
            throw Rejected(
                facts: facts, code: "file_too_large",
                message:
                    "\(name) is \(file.size) bytes, more than the limit of \(maxFileBytes) ([images] max_file_bytes), so it was not read")
        }
        let info: ImageInfo
        do {
            info = try ImageProbe.probe(file: file)
        } catch let error as ImagingError {
            facts.sha256 = (try? FileHash.sha256Hex(file: file)) ?? ""
            throw Rejected(facts: facts, code: error.code.sidecarCode, message: error.description)
        } catch {
            throw Rejected(facts: facts, code: "unreadable", message: "\(name): \(error)")
        }
        if let recorded, recorded.describes(file) {
            facts.sha256 = recorded.sha256
        } else {
            do {
                facts.sha256 = try FileHash.sha256Hex(file: file)
            } catch {
                throw Rejected(facts: facts, code: "unreadable", message: "\(name) cannot be read: \(error)")
            }
        }
        facts.mimeType = info.mimeType
        facts.width = info.uprightWidth
        facts.height = info.uprightHeight
        facts.orientation = info.orientation
        self.facts = facts
        self.info = info
        if info.pixelCount > maxPixels {
            throw Rejected(
                facts: facts, code: "too_large",
                message: "\(name) has \(info.width)x\(info.height) pixels, more than the limit of \(maxPixels) ([images] max_pixels)")
        }
    }

    /// Why a file could not be opened, as the sidecar records it.
    private static func unopenable(_ error: any Error, name: String) -> Rejected {
        let facts = Sidecar.ImageFacts(file: name, bytes: 0, sha256: "")
        guard let error = error as? ImagingError else {
            return Rejected(facts: facts, code: "unreadable", message: "\(name) cannot be read: \(error)")
        }
        switch error.code {
        case .symbolicLink:
            return Rejected(
                facts: facts, code: "symbolic_link",
                message: "\(name) is a symbolic link, or lies in a folder that is one; links in watched folders are never followed")
        case .notRegularFile:
            return Rejected(
                facts: facts, code: "not_a_regular_file",
                message: "\(name) is not a regular file (a FIFO, device, folder or socket), so it was not read")
        default:
            return Rejected(facts: facts, code: "unreadable", message: "\(name) cannot be read: \(error.message)")
        }
    }

    /// True until ``plan(_:)`` is called (once per subject: the first prompt to run plans for the others).
    public var needsPlan: Bool {
        lock.lock()
        defer { lock.unlock() }
        if planned != nil { return false }
        planned = []
        return true
    }

    /// Tells the subject which resolutions its prompts will ask for, so the largest is made first, from the photo.
    public func plan(_ resolutions: some Sequence<ResolutionSetting>) {
        lock.lock()
        defer { lock.unlock() }
        planned = (planned ?? []).union(resolutions)
    }

    /// The upright copy to send for `resolution`, made once and reused: from the photo when it is the largest
    /// copy planned, else from a larger copy (made first when planned and not made yet).
    public func prepared(_ resolution: ResolutionSetting) throws -> PreparedImage {
        lock.lock()
        defer { lock.unlock() }
        if let cached = copies[resolution] { return cached }
        let target = size(resolution)
        if let largest = (planned ?? []).max(by: { size($0).width < size($1).width }), copies[largest] == nil,
            size(largest).width > target.width
        {
            copies[largest] = try ImagePreparer.prepare(file: file, resolution: largest.imaging, maxPixels: maxPixels)
        }
        let copy: PreparedImage
        if let same = copies.values.first(where: { $0.width == target.width && $0.height == target.height }) {
            copy = same
        } else if let larger = copies.values.filter({ $0.isReencoded && $0.width >= target.width && $0.height >= target.height })
            .min(by: { $0.width < $1.width })
        {
            copy = try ImagePreparer.prepare(from: larger, resolution: resolution.imaging)
        } else {
            copy = try ImagePreparer.prepare(file: file, resolution: resolution.imaging, maxPixels: maxPixels)
        }
        copies[resolution] = copy
        return copy
    }

    /// The upright size the copy for `resolution` has.
    private func size(_ resolution: ResolutionSetting) -> (width: Int, height: Int) {
        let size = ImageSizing.targetSize(width: info.uprightWidth, height: info.uprightHeight, resolution: resolution.imaging)
        return (size.width, size.height)
    }
}

extension ImageSubject {
    /// What an overlay of long side `maxSide` is drawn on: the upright picture (decoded once per size and kept for
    /// the image's other overlays), or a transparent layer of that size, which needs no decoding.
    public func overlayBase(maxSide: Int, layer: Bool) throws -> OverlayBase {
        if layer { return .layer(uprightWidth: info.uprightWidth, uprightHeight: info.uprightHeight, maxSide: maxSide) }
        let target = ImageSizing.targetSize(width: info.uprightWidth, height: info.uprightHeight, resolution: .maxSide(maxSide))
        lock.lock()
        defer { lock.unlock() }
        if let cached = overlayPictures[maxSide] { return cached }
        // A copy made for the model that is at least the overlay's size is decoded instead of the photo.
        let copy = copies.values.filter { $0.isReencoded && $0.width >= target.width && $0.height >= target.height }
            .min { $0.width < $1.width }
        let base =
            try copy.map { try OverlayBase.picture(copy: $0, maxSide: maxSide) }
            ?? OverlayBase.picture(file: file, maxSide: maxSide, maxPixels: maxPixels)
        overlayPictures[maxSide] = base
        return base
    }
}

extension ResolutionSetting {
    var imaging: Resolution {
        switch self {
        case .auto: return .auto
        case .original: return .original
        case .maxSide(let n): return .maxSide(n)
        }
    }
}

extension ImagingError.Code {
    /// The code as the sidecar spells its error codes: snake_case (`notAnImage` → `not_an_image`).
    public var sidecarCode: String {
        var out = ""
        for ch in rawValue {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

/// What intake recorded of an image file when it hashed it.
public struct RecordedFile: Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var mtimeNs: Int64
    public var sha256: String

    /// True when `file` is the file intake hashed, unchanged since (so its hash still holds).
    func describes(_ file: ImageFile) -> Bool {
        !sha256.isEmpty && device != 0 && device == file.device && inode == file.inode && size == Int64(file.size)
            && mtimeNs == file.mtimeNs
    }
}
