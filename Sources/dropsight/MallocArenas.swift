/// glibc gives threads that allocate at the same time arenas of their own (up to eight per core), each
/// keeping freed memory for reuse; with Swift's pool, libcurl's thread and libvips' workers all
/// allocating picture-sized buffers, resident memory creeps up in those arenas. Two arenas keep it flat.
enum MallocArenas {
    static let limit: Int32 = 2
    /// `M_ARENA_MAX` of glibc's `<malloc.h>`, which the Glibc module does not import.
    static let arenaMaxParameter: Int32 = -8

    /// Bounds glibc's arenas unless `MALLOC_ARENA_MAX` is set (glibc has then applied it already).
    static func bound(environment: [String: String]) {
        guard environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = glibcMallopt(arenaMaxParameter, limit)
    }
}

/// glibc's `int mallopt(int param, int value)`.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
