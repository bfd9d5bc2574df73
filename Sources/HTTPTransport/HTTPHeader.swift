/// One header field: a name and its value, kept in the order they were given or received.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HTTPHeader {
    /// The value of the first header called `name`, compared without regard to ASCII case.
    public func value(named name: String) -> String? {
        first { asciiCaseInsensitiveEqual($0.name, name) }?.value
    }

    /// The values of every header called `name`, in order, compared without regard to ASCII case.
    public func values(named name: String) -> [String] {
        filter { asciiCaseInsensitiveEqual($0.name, name) }.map(\.value)
    }
}

/// Header names are ASCII tokens: compare them byte by byte, folding A-Z to a-z.
func asciiCaseInsensitiveEqual(_ lhs: String, _ rhs: String) -> Bool {
    let left = lhs.utf8
    let right = rhs.utf8
    guard left.count == right.count else { return false }
    return zip(left, right).allSatisfy { asciiLowercase($0) == asciiLowercase($1) }
}

private func asciiLowercase(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}
