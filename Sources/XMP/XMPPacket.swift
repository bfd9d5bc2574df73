import CExempi
import Foundation

/// One XMP packet in memory (an exempi `XmpPtr`): parse, read and replace properties, serialise.
///
/// Not `Sendable`: a packet lives inside one call (``XMPMerge``) on one thread.
final class XMPPacket {
    private let handle: XmpPtr

    /// An empty packet, or `data` parsed (an `.xmp` sidecar, with or without its packet wrapper).
    init(parsing data: Data?) throws(XMPError) {
        guard XMPLibrary.ready, let handle = xmp_new_empty() else { throw XMPError(operation: "init", code: xmp_get_error()) }
        self.handle = handle
        guard let data, !data.isEmpty else { return }
        let parsed = data.withUnsafeBytes { raw in
            xmp_parse(handle, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
        }
        if !parsed { throw XMPError(operation: "parse", code: xmp_get_error()) }
    }

    deinit { xmp_free(handle) }

    /// The items of an array property (Bag, Seq or Alt), in order; empty when it is absent.
    func items(_ namespace: String, _ name: String) -> [String] {
        let value = xmp_string_new()
        defer { xmp_string_free(value) }
        var result: [String] = []
        var index: Int32 = 1
        while xmp_get_array_item(handle, namespace, name, index, value, nil) {
            result.append(String(cString: xmp_string_cstr(value)))
            index += 1
        }
        return result
    }

    /// Replaces an array property with `items` (`ordered`: a Seq, else a Bag); removes it when `items` is empty.
    func setItems(_ namespace: String, _ name: String, _ items: [String], ordered: Bool) throws(XMPError) {
        xmp_delete_property(handle, namespace, name)
        let form = UInt32(ordered ? XMP_PROP_ARRAY_IS_ORDERED.rawValue : XMP_PROP_VALUE_IS_ARRAY.rawValue)
        for item in items where !xmp_append_array_item(handle, namespace, name, form, item, 0) {
            throw XMPError(operation: "append to \(name)", code: xmp_get_error())
        }
    }

    /// The `x-default` item of a language alternative (`dc:description`), nil when absent.
    func defaultText(_ namespace: String, _ name: String) -> String? {
        let lang = xmp_string_new()
        let value = xmp_string_new()
        defer {
            xmp_string_free(lang)
            xmp_string_free(value)
        }
        guard xmp_get_localized_text(handle, namespace, name, "", "x-default", lang, value, nil) else { return nil }
        return String(cString: xmp_string_cstr(value))
    }

    /// Sets the `x-default` item of a language alternative, keeping its other languages.
    func setDefaultText(_ namespace: String, _ name: String, _ text: String) throws(XMPError) {
        guard xmp_set_localized_text(handle, namespace, name, "", "x-default", text, 0) else {
            throw XMPError(operation: "set \(name)", code: xmp_get_error())
        }
    }

    /// A simple property's value, nil when absent.
    func property(_ namespace: String, _ name: String) -> String? {
        let value = xmp_string_new()
        defer { xmp_string_free(value) }
        guard xmp_get_property(handle, namespace, name, value, nil) else { return nil }
        return String(cString: xmp_string_cstr(value))
    }

    /// Sets a simple property, or removes it when `value` is nil.
    func setProperty(_ namespace: String, _ name: String, _ value: String?) throws(XMPError) {
        guard let value else {
            xmp_delete_property(handle, namespace, name)
            return
        }
        guard xmp_set_property(handle, namespace, name, value, 0) else {
            throw XMPError(operation: "set \(name)", code: xmp_get_error())
        }
    }

    /// The packet as an `.xmp` sidecar: UTF-8, `x:xmpmeta` without the `<?xpacket?>` wrapper or padding.
    func serialized() throws(XMPError) -> Data {
        let buffer = xmp_string_new()
        defer { xmp_string_free(buffer) }
        guard xmp_serialize(handle, buffer, UInt32(XMP_SERIAL_OMITPACKETWRAPPER), 0) else {
            throw XMPError(operation: "serialize", code: xmp_get_error())
        }
        return Data(String(cString: xmp_string_cstr(buffer)).utf8)
    }
}
