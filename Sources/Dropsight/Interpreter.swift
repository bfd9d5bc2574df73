import Foundation
import Logging
import Prompts

/// Reads a reply according to the prompt's kind and fills the result (JSON, detections, segments, overlays).
///
/// Replies are read as they really come back: JSON bare, fenced or inside prose; cut off at
/// MAX_TOKENS (every complete item kept); boxes on the 0-1000 grid mapped to pixels of the upright
/// original. Anything dropped, clamped or not decodable is explained in `notes`.
enum Interpreter {
    /// Fills `result.json`, `detections`, `segments`, `overlay`, `masks` and `notes`.
    ///
    /// - Parameter maxPixels: the decompression-bomb guard used when the overlay decodes the image again.
    /// - Returns: the names of files written beside the image.
    static func interpret(text: String, prompt: PromptSettings, subject: ImageSubject, maxPixels: Int, output: SafeOutput,
                          into result: inout PromptResult, logger: Logger) async -> [String] {
        var notes: [String] = []
        if result.finishReason == "MAX_TOKENS" {
            notes.append("the reply was cut off at the output token limit (finishReason MAX_TOKENS); raise max_output_tokens for the rest")
        }
        var written: [String] = []
        switch prompt.kind {
        case .text:
            break
        case .json:
            let parsed = TextReply.parseJSONReply(text: text)
            result.json = parsed.value
            notes += parsed.notes
        case .detect, .segment:
            let spatial = await BlockingWork.run { Spatial.run(text: text, prompt: prompt, subject: subject, maxPixels: maxPixels, output: output) }
            result.detections = spatial.reading.detections
            result.segments = spatial.reading.segments
            result.overlay = spatial.overlay
            result.masks = spatial.masks.isEmpty ? nil : spatial.masks
            notes += spatial.reading.notes
            written = ([spatial.overlay].compactMap { $0 }) + spatial.masks
            let count = spatial.reading.detections?.count ?? spatial.reading.segments?.count ?? 0
            logger.info("\(prompt.name): \(count) item(s), \(spatial.masks.count) mask file(s), overlay \(spatial.overlay ?? "not written")")
        }
        if !notes.isEmpty {
            logger.notice("\(prompt.name): \(notes.count) note(s) on the reply: \(notes.prefix(3).joined(separator: "; "))")
        }
        result.notes = notes.isEmpty ? nil : notes
        return written
    }

    /// The blocking part of a detect or segment reply: parse, decode masks, draw, write.
    private enum Spatial {
        struct Outcome: Sendable {
            var reading: DetectionsReading
            var overlay: String?
            var masks: [String]
        }

        static func run(text: String, prompt: PromptSettings, subject: ImageSubject, maxPixels: Int, output: SafeOutput) -> Outcome {
            let writer = OverlayWriter(output: output, imageName: subject.facts.file, promptName: prompt.name)
            guard let width = subject.facts.width, let height = subject.facts.height else {
                return Outcome(reading: DetectionsReading(notes: ["the image's size is unknown; the reply was not read"]),
                               overlay: nil, masks: [])
            }
            var reading = prompt.kind == .segment
                ? DetectionsReader.segments(text: text, imageWidth: width, imageHeight: height, threshold: prompt.maskThreshold)
                : DetectionsReader.detections(text: text, imageWidth: width, imageHeight: height)
            var maskFiles: [String] = []
            if prompt.kind == .segment && prompt.writeMasks {
                let masks = writer.writeMasks(reading.masks)
                for (index, name) in masks.names { reading.segments?[index].maskFile = name }
                maskFiles = masks.names.sorted { $0.key < $1.key }.map(\.value)
                reading.notes += masks.notes
            } else if prompt.kind == .segment {
                writer.removeStaleMasks()
            }
            let overlay = writer.writeOverlay(imagePath: subject.path, maxSide: prompt.overlayMaxSide, maxPixels: maxPixels, reading: reading)
            if let note = overlay.note { reading.notes.append(note) }
            return Outcome(reading: reading, overlay: overlay.name, masks: maskFiles)
        }
    }
}
