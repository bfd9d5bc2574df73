/// Why a request body is not JSON, with the byte offset where reading stopped.
struct WireJSONSyntaxError: Error, Equatable {
    let reason: String
    let offset: Int
}
