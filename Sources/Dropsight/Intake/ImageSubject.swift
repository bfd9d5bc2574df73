import Foundation
import Imaging

/// An image about to be processed: its file facts, probed once, and its model copies made on demand.
///
/// A copy is made per requested resolution and kept for the other prompts of the same image, and so is the
/// picture overlays are drawn on (one decode per overlay size, shared by the detect and segment overlays).
public final class ImageSubject: @unchecked Sendable {
    // @unchecked: `copies` is only touched under `lock`; everything else is immutable.
    public let path: String
    public let facts: Sidecar.ImageFacts
    public let info: ImageInfo
    private let maxPixels: Int
    private let lock = NSLock()
    private var copies: [ResolutionSetting: PreparedImage] = [:]
    private var overlayPictures: [Int: OverlayBase] = [:]

    /// Why an image cannot be processed at all; the sidecar records it and no retry will help.
    public struct Rejected: Error, CustomStringConvertible, Sendable {
        public var facts: Sidecar.ImageFacts
        public var code: String
        public var message: String
        public var description: String { message }
    }

    /// Reads the file's facts (size, SHA-256, format from content, dimensions, orientation).
    /// Throws `Rejected` for anything that is not a supported, sane image file; a file over
    /// `maxFileBytes` is refused from its `stat` size alone (`file_too_large`), before it is opened.
    public init(path: String, maxPixels: Int, maxFileBytes: Int64 = ImageSettings.defaultMaxFileBytes) throws(Rejected) {
        self.path = path
        self.maxPixels = maxPixels
        let name = (path as NSString).lastPathComponent
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw Rejected(
                facts: .init(file: name, bytes: 0, sha256: ""), code: "unreadable",
                message: "\(name) cannot be read: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw Rejected(
                facts: .init(file: name, bytes: 0, sha256: ""), code: "not_a_regular_file",
                message: "\(name) is not a regular file (a FIFO, device, folder or symlink), so it was not read")
        }
        var facts = Sidecar.ImageFacts(file: name, bytes: Int64(st.st_size), sha256: "")
        if Int64(st.st_size) > maxFileBytes {
            throw Rejected(
                facts: facts, code: "file_too_large",
                message:
                    "\(name) is \(st.st_size) bytes, more than the limit of \(maxFileBytes) ([images] max_file_bytes), so it was not read")
        }
        let info: ImageInfo
        do {
            info = try ImageProbe.probe(path: path)
        } catch let error as ImagingError {
            facts.sha256 = (try? FileHash.sha256Hex(path: path)) ?? ""
            throw Rejected(facts: facts, code: error.code.sidecarCode, message: error.description)
        } catch {
            throw Rejected(facts: facts, code: "unreadable", message: "\(name): \(error)")
        }
        do {
            facts.sha256 = try FileHash.sha256Hex(path: path)
        } catch {
            throw Rejected(facts: facts, code: "unreadable", message: "\(name) cannot be read: \(error)")
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

    /// The upright copy to send for `resolution`, made once and reused.
    public func prepared(_ resolution: ResolutionSetting) throws -> PreparedImage {
        lock.lock()
        if let cached = copies[resolution] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let copy = try ImagePreparer.prepare(path: path, resolution: resolution.imaging, maxPixels: maxPixels)
        lock.lock()
        copies[resolution] = copy
        lock.unlock()
        return copy
    }
}

extension ImageSubject {
    /// What an overlay of long side `maxSide` is drawn on: the upright picture (decoded once per size and kept for
    /// the image's other overlays), or a transparent layer of that size, which needs no decoding.
    public func overlayBase(maxSide: Int, layer: Bool) throws -> OverlayBase {
        if layer { return .layer(uprightWidth: info.uprightWidth, uprightHeight: info.uprightHeight, maxSide: maxSide) }
        lock.lock()
        if let cached = overlayPictures[maxSide] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let base = try OverlayBase.picture(imagePath: path, maxSide: maxSide, maxPixels: maxPixels)
        lock.lock()
        overlayPictures[maxSide] = base
        lock.unlock()
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
