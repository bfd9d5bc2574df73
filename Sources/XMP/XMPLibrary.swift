import CExempi

/// exempi's one-time set-up: `xmp_init` and the namespaces dropsight writes.
enum XMPLibrary {
    /// Evaluated once, thread-safely (a global `let`), before any packet is made.
    static let ready: Bool = {
        guard xmp_init() else { return false }
        let registered = xmp_string_new()
        defer { xmp_string_free(registered) }
        for (uri, prefix) in XMPNamespace.prefixes {
            _ = xmp_register_namespace(uri, prefix, registered)
        }
        return true
    }()
}
