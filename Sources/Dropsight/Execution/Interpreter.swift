import Foundation
import Logging
import Prompts

/// Reads a fresh reply according to the prompt's kind and fills the result (JSON, keywords, or detections and
/// segments with their overlay and masks through ``OutputRenderer``).
///
/// Replies are read as they really come back: JSON bare, fenced or inside prose; cut off at
/// MAX_TOKENS (every complete item kept); boxes on the 0-1000 grid mapped to pixels of the upright
/// original. Anything dropped, clamped or not decodable is explained in `notes`.
enum Interpreter {
    /// Fills `result.json`, `keywords`, `detections`, `segments`, `overlay`, `masks`, `pendingOutputs` and `notes`.
    ///
    /// - Returns: the names of files written beside the image.
    static func interpret(
        text: String, prompt: PromptSettings, subject: ImageSubject, output: SafeOutput,
        into result: inout PromptResult, logger: Logger
    ) async -> [String] {
        var written: [String] = []
        let model = result.model
        switch prompt.kind {
        case .text:
            result.notes = result.finishNotes.isEmpty ? nil : result.finishNotes
        case .json:
            let parsed = TextReply.parseJSONReply(text: text)
            result.json = parsed.value
            let notes = result.finishNotes + parsed.notes
            result.notes = notes.isEmpty ? nil : notes
        case .keywords:
            let read = KeywordReader.read(text: text, rules: prompt.keywordRules)
            result.keywords = read.keywords
            let notes = result.finishNotes + read.notes
            result.notes = notes.isEmpty ? nil : notes
            logger.info("\(prompt.name): \(read.keywords.count) keyword(s)")
        case .detect, .segment:
            let rendered = await BlockingWork.run {
                OutputRenderer.render(text: text, prompt: prompt, model: model, subject: subject, output: output)
            }
            rendered.apply(to: &result)
            written = ([rendered.overlay].compactMap { $0 }) + rendered.masks
            let count = rendered.reading.detections?.count ?? rendered.reading.segments?.count ?? 0
            logger.info(
                "\(prompt.name): \(count) item(s), \(rendered.masks.count) mask file(s), overlay \(rendered.overlay ?? "not written")")
        }
        if let notes = result.notes {
            logger.notice("\(prompt.name): \(notes.count) note(s) on the reply: \(notes.prefix(3).joined(separator: "; "))")
        }
        return written
    }
}
