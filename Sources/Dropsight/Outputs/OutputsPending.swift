/// An image's overlay or mask could not be written yet, so its sidecar waits.
struct OutputsPending: Error, CustomStringConvertible {
    let prompt: String
    var description: String { "the \(prompt) overlay or masks cannot be written yet; the sidecar waits for them" }
}
