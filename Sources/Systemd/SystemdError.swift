import SystemPackage

/// A failure talking to the service manager or the journal.
public struct SystemdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, independent of the details.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String

        /// `NOTIFY_SOCKET` holds something that is neither an absolute path nor an `@` abstract name.
        public static let invalidNotifySocket = Code(description: "invalidNotifySocket")
        /// `socket(2)` failed.
        public static let socketFailed = Code(description: "socketFailed")
        /// `sendto(2)` failed or sent fewer bytes than the message holds.
        public static let sendFailed = Code(description: "sendFailed")
    }

    public let code: Code
    /// The `errno` value, when a system call failed.
    public let errno: Errno?
    /// The notify socket address (or other subject) the failure concerns.
    public let context: String
    /// What a person can do about it.
    public let hint: String

    public var description: String {
        var text = "\(code) (\(context))"
        if let errno {
            text += ": \(errno) (errno \(errno.rawValue))"
        }
        return text + "; " + hint
    }
}
