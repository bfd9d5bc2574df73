/// A failure with its own exit status and message (configuration errors exit 2).
struct CommandFailure: Error {
    var status: Int32
    var message: String
}
