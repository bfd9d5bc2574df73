/// An account-level answer met by `dropsight process`: the key, the project, the model or the billing is at fault,
/// not the image, so no sidecar is written and the command stops with ``advice``.
public struct AccountRefusal: Error, CustomStringConvertible {
    /// What is wrong and how to fix it, one line (``GeminiAPI/GeminiError/accountAdvice``).
    public let advice: String

    public var description: String { advice }
}
