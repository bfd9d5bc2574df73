/// Why `LenientJSONParser` stopped.
enum LenientJSONError: Error, Equatable {
    /// The input ended inside a value: the reply may have been cut off.
    case endOfInput
    /// A byte that cannot appear here, at this offset.
    case unexpected(offset: Int)
    /// Nesting deeper than `LenientJSONParser.maxDepth`.
    case tooDeep(offset: Int)
}
