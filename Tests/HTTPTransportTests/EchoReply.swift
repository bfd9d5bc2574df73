import Foundation

/// What the echo server saw of one request, sent back to the test as JSON.
struct EchoReply: Codable, Sendable {
    var method: String
    var bodyLength: Int
    /// Request header fields as received, in order, each `[name, value]`.
    var headers: [[String]]

    /// The values of the received headers called `name`, compared without regard to case.
    func values(of name: String) -> [String] {
        headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
    }
}
