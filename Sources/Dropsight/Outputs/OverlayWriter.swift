import Foundation
import Imaging
import Prompts

/// Writes one prompt's overlay PNG and mask PNGs beside the image, through `SafeOutput`, under the
/// names ``OutputNames`` gives. Blocking libvips and disk work: call off Swift's cooperative pool.
struct OverlayWriter {
    let output: SafeOutput
    let names: OutputNames
    let promptName: String

    /// What became of one file: written under `name`, or not, with the note that says why; `pending`
    /// when the disk refused it (a full disk, a read-only folder), so it is drawn again later.
    struct Written: Sendable {
        var name: String?
        var note: String?
        var pending = false
    }

    /// Draws the upright original (long side at most `maxSide`) with the boxes and masks, or only them on a
    /// transparent layer of that size (`mode`), and writes it; with `off`, removes an earlier one.
    ///
    /// Item `i` is drawn in palette colour `i`, its mask in the same colour. A failure is returned as a
    /// note instead of thrown: the reply's data stays useful without its picture.
    func writeOverlay(subject: ImageSubject, mode: OverlayMode, maxSide: Int, reading: DetectionsReading) -> Written {
        let overlayName = names.overlay(prompt: promptName)
        guard mode != .off else {
            // One from an earlier run with `overlay` on would no longer match the sidecar.
            output.remove(name: overlayName)
            return Written()
        }
        let boxes = reading.boxes.enumerated().map { index, item in
            OverlayBox(x: item.box.x, y: item.box.y, width: item.box.width, height: item.box.height, label: item.label, colorIndex: index)
        }
        let masks = reading.masks.sorted { $0.key < $1.key }.compactMap { index, bitmap -> OverlayMask? in
            guard index < boxes.count, bitmap.width > 0, bitmap.height > 0 else { return nil }
            return OverlayMask(
                x: boxes[index].x, y: boxes[index].y,
                mask: PixelImage(width: bitmap.width, height: bitmap.height, bands: 1, pixels: bitmap.pixels),
                colorIndex: index)
        }
        let png: Data
        do {
            png = try OverlayRenderer.render(
                on: subject.overlayBase(maxSide: maxSide, layer: mode == .layer), boxes: boxes, masks: masks)
        } catch {
            // An overlay from an earlier run would show boxes this reply no longer has.
            output.remove(name: overlayName)
            return Written(note: "overlay not drawn: \(error)")
        }
        do {
            try output.createFolderIfNeeded()
            try output.write(png, name: overlayName)
            return Written(name: overlayName)
        } catch {
            output.remove(name: overlayName)
            if OutputFailure.isPermanent(error) { return Written(note: "overlay \(Self.cannotBeWritten): \(error)") }
            return Written(note: "overlay \(Self.notWrittenYet): \(error)", pending: true)
        }
    }

    /// How the note of an output the disk refused reads.
    static let notWrittenYet = "not written yet (retried until it can be)"
    /// How the note of an output that can never be written there reads.
    static let cannotBeWritten = "not written (a permanent error there; not retried)"

    /// Writes one binary mask PNG per decoded mask and removes this prompt's masks from earlier runs.
    ///
    /// Returns the file name per segment index, notes for masks that could not be written, and the
    /// names of those the disk refused.
    func writeMasks(_ masks: [Int: MaskBitmap]) -> (names: [Int: String], notes: [String], pending: [String]) {
        var written: [Int: String] = [:]
        var notes: [String] = []
        var pending: [String] = []
        for (index, bitmap) in masks.sorted(by: { $0.key < $1.key }) {
            let name = names.mask(prompt: promptName, index: index)
            let png: Data
            do {
                png = try ImageCodec.encodePNG(PixelImage(width: bitmap.width, height: bitmap.height, bands: 1, pixels: bitmap.pixels))
            } catch {
                notes.append("mask \(index) not encoded: \(error)")
                continue
            }
            do {
                try output.createFolderIfNeeded()
                try output.write(png, name: name)
                written[index] = name
            } catch  where OutputFailure.isPermanent(error) {
                notes.append("mask \(index) \(Self.cannotBeWritten): \(error)")
            } catch {
                notes.append("mask \(index) \(Self.notWrittenYet): \(error)")
                pending.append(name)
            }
        }
        removeStaleMasks(keeping: Set(written.values))
        return (written, notes, pending)
    }

    /// Deletes this prompt's mask files not in `keeping` (left by a run that found more segments).
    func removeStaleMasks(keeping: Set<String> = []) {
        for name in output.names() where !keeping.contains(name) && names.maskIndex(of: name, prompt: promptName) != nil {
            output.remove(name: name)
        }
    }
}
