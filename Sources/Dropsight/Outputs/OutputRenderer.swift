import Foundation
import Prompts

/// Turns a `detect` or `segment` reply into its outputs: the sidecar's entries, the mask PNGs and the
/// overlay. Used for a fresh answer and again, from the stored reply, for outputs the disk refused.
///
/// Blocking work (masks decode, overlays draw with libvips; files are written): call off Swift's cooperative pool.
enum OutputRenderer {
    /// What one rendering produced.
    struct Rendered: Sendable {
        var reading: DetectionsReading
        var overlay: String?
        var masks: [String]
        /// Files the disk refused; the sidecar waits for them.
        var pending: [String]

        /// Sets the result's spatial fields, output names and pending outputs, and its notes (a cut-off
        /// reply's note first, then the reading's).
        func apply(to result: inout PromptResult) {
            result.detections = reading.detections
            result.segments = reading.segments
            result.overlay = overlay
            result.masks = masks.isEmpty ? nil : masks
            result.pendingOutputs = pending.isEmpty ? nil : pending
            let notes = result.finishNotes + reading.notes
            result.notes = notes.isEmpty ? nil : notes
        }
    }

    /// - Parameter model: the model that answered; its profile says how polygon points are ordered.
    static func render(
        text: String, prompt: PromptSettings, model: String, subject: ImageSubject, output: SafeOutput
    ) -> Rendered {
        let writer = OverlayWriter(output: output, names: OutputNames(imageName: subject.facts.file), promptName: prompt.name)
        guard let width = subject.facts.width, let height = subject.facts.height else {
            return Rendered(
                reading: DetectionsReading(notes: ["the image's size is unknown; the reply was not read"]),
                overlay: nil, masks: [], pending: [])
        }
        var reading =
            prompt.kind == .segment
            ? DetectionsReader.segments(
                text: text, imageWidth: width, imageHeight: height, threshold: prompt.maskThreshold,
                pointOrder: ModelCatalog.profile(for: model).polygonPointOrder)
            : DetectionsReader.detections(text: text, imageWidth: width, imageHeight: height)
        var maskFiles: [String] = []
        var pending: [String] = []
        if prompt.kind == .segment && prompt.writeMasks {
            let masks = writer.writeMasks(reading.masks)
            for (index, name) in masks.names { reading.segments?[index].maskFile = name }
            maskFiles = masks.names.sorted { $0.key < $1.key }.map(\.value)
            reading.notes += masks.notes
            pending += masks.pending
        } else if prompt.kind == .segment {
            writer.removeStaleMasks()
        }
        let overlay = writer.writeOverlay(subject: subject, mode: prompt.overlay, maxSide: prompt.overlayMaxSide, reading: reading)
        if let note = overlay.note { reading.notes.append(note) }
        if overlay.pending { pending.append(OutputNames(imageName: subject.facts.file).overlay(prompt: prompt.name)) }
        return Rendered(reading: reading, overlay: overlay.name, masks: maskFiles, pending: pending)
    }
}
