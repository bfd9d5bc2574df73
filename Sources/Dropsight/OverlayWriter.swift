import Foundation
import Imaging
import Prompts

/// Writes one prompt's overlay PNG and mask PNGs beside the image, through `SafeOutput`.
///
/// Names are built only from the image's file name, the prompt name and an index (never from the
/// reply), so nothing the model says can choose where a file goes. Blocking libvips and disk work:
/// call off Swift's cooperative pool.
struct OverlayWriter {
    let output: SafeOutput
    /// The image's file name (`IMG.jpg`).
    let imageName: String
    let promptName: String

    /// `IMG.jpg.NAME.png`, as `isOwnOutput` recognises it.
    var overlayName: String { "\(imageName).\(promptName).png" }

    /// `IMG.jpg.NAME.mask-N.png`; `index` is the segment's position in the sidecar's `segments`.
    func maskName(index: Int) -> String { "\(imageName).\(promptName).mask-\(index).png" }

    /// Draws the upright original (long side at most `maxSide`) with the boxes and masks, and writes it.
    ///
    /// Item `i` is drawn in palette colour `i`, its mask in the same colour. Returns the note that
    /// explains a failure instead of throwing: the reply's data stays useful without its picture.
    func writeOverlay(imagePath: String, maxSide: Int, maxPixels: Int, reading: DetectionsReading) -> (name: String?, note: String?) {
        let boxes = reading.boxes.enumerated().map { index, item in
            OverlayBox(x: item.box.x, y: item.box.y, width: item.box.width, height: item.box.height, label: item.label, colorIndex: index)
        }
        let masks = reading.masks.sorted { $0.key < $1.key }.compactMap { index, bitmap -> OverlayMask? in
            guard index < boxes.count, bitmap.width > 0, bitmap.height > 0 else { return nil }
            return OverlayMask(x: boxes[index].x, y: boxes[index].y,
                               mask: PixelImage(width: bitmap.width, height: bitmap.height, bands: 1, pixels: bitmap.pixels),
                               colorIndex: index)
        }
        let png: Data
        do {
            png = try OverlayRenderer.render(imagePath: imagePath, maxSide: maxSide, boxes: boxes, masks: masks, maxPixels: maxPixels)
        } catch {
            // An overlay from an earlier run would show boxes this reply no longer has.
            output.remove(name: overlayName)
            return (nil, "overlay not drawn: \(error)")
        }
        do {
            try prepareFolder()
            try output.write(png, name: overlayName)
            return (overlayName, nil)
        } catch {
            output.remove(name: overlayName)
            return (nil, "overlay \(Self.pendingMark): \(error)")
        }
    }

    /// Marks the note of an output that could not be written (a full disk, a read-only folder): the
    /// sidecar is held back and the output is drawn again from the stored reply until it is written.
    static let pendingMark = "not written yet (retried until it can be)"

    /// Whether `notes` say an overlay or mask still has to be written.
    static func hasPendingOutput(_ notes: [String]?) -> Bool {
        (notes ?? []).contains { $0.contains(pendingMark) }
    }

    /// Writes one binary mask PNG per decoded mask and removes this prompt's masks from earlier runs.
    ///
    /// Returns the file name per segment index, and notes for masks that could not be written.
    func writeMasks(_ masks: [Int: MaskBitmap]) -> (names: [Int: String], notes: [String]) {
        var names: [Int: String] = [:]
        var notes: [String] = []
        for (index, bitmap) in masks.sorted(by: { $0.key < $1.key }) {
            let png: Data
            do {
                png = try ImageCodec.encodePNG(PixelImage(width: bitmap.width, height: bitmap.height, bands: 1, pixels: bitmap.pixels))
            } catch {
                notes.append("mask \(index) not encoded: \(error)")
                continue
            }
            do {
                try prepareFolder()
                try output.write(png, name: maskName(index: index))
                names[index] = maskName(index: index)
            } catch {
                notes.append("mask \(index) \(Self.pendingMark): \(error)")
            }
        }
        removeStaleMasks(keeping: Set(names.values))
        return (names, notes)
    }

    /// Deletes `IMG.jpg.NAME.mask-N.png` files not in `keeping` (left by a run that found more segments).
    func removeStaleMasks(keeping: Set<String> = []) {
        let prefix = "\(imageName).\(promptName).mask-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: output.directory) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".png") && !keeping.contains(name) {
            let number = name.dropFirst(prefix.count).dropLast(4)
            if !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber) { output.remove(name: name) }
        }
    }

    /// Creates the output folder when it is a mirror under `output_dir` that does not exist yet.
    private func prepareFolder() throws {
        if !FileManager.default.fileExists(atPath: output.directory) {
            try FileManager.default.createDirectory(atPath: output.directory, withIntermediateDirectories: true)
        }
    }
}
