import Foundation
import GeminiAPI
import Logging

/// Reads a reply according to the prompt's kind and fills the result (JSON, detections, segments, overlays).
enum Interpreter {
    /// Returns the names of files written beside the image.
    static func interpret(text: String, prompt: PromptSettings, subject: ImageSubject, output: SafeOutput,
                          into result: inout PromptResult, logger: Logger) -> [String] {
        switch prompt.kind {
        case .text:
            return []
        case .json, .detect, .segment:
            if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) {
                result.json = value
            } else {
                result.notes = ["the reply is not bare JSON"]
            }
            return []
        }
    }
}
