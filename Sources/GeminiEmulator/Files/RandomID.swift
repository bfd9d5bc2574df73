/// Random identifiers shaped like the service's own.
enum RandomID {
    private static let lowerAlphanumerics = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    private static let base64URL = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// A file id such as `x27lu0k9zc2k` (12 characters).
    static func fileID() -> String {
        String((0..<12).map { _ in lowerAlphanumerics.randomElement()! })
    }

    /// A batch id such as `o08hk76gv328ihxcssjsgwt3g6omtfysxi46` (36 characters).
    static func batchID() -> String {
        String((0..<36).map { _ in lowerAlphanumerics.randomElement()! })
    }

    /// An opaque upload id such as those in `X-Goog-Upload-URL`.
    static func uploadID() -> String {
        "ABgVH" + String((0..<75).map { _ in base64URL.randomElement()! })
    }

    /// A `responseId` such as `iS77aMa9K_up1e8P5J69qQQ` (23 characters).
    static func responseID() -> String {
        String((0..<23).map { _ in base64URL.randomElement()! })
    }
}
