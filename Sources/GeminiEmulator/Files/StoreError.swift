/// Why the file store refused an operation; handlers turn it into the wire answer.
struct StoreError: Error, Sendable, Equatable {
    enum Code: Sendable, Equatable {
        case fileTooLarge
        case projectFull
        case nameTaken
        case badName
        case sizeMismatch
        case io
    }

    let code: Code
    let message: String
}
