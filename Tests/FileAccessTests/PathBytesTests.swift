import FileAccess
import Glibc
import Testing

/// Names are bytes: every byte string has one String form and comes back from it unchanged.
@Suite struct PathBytesTests {
    @Test(arguments: [
        (Array("photo.jpg".utf8), "photo.jpg"),
        (Array("caf".utf8) + [0xE9] + Array(".jpg".utf8), #"caf\xE9.jpg"#),
        (Array("café.jpg".utf8), "café.jpg"),
        (Array(#"back\x41.jpg"#.utf8), #"back\x5Cx41.jpg"#),
        (Array(#"a\b.jpg"#.utf8), #"a\b.jpg"#),
        ([0xC3], #"\xC3"#),  // a sequence cut short
        ([0xC0, 0xAF], #"\xC0\xAF"#),  // an overlong "/"
        ([0xED, 0xA0, 0x80], #"\xED\xA0\x80"#),  // a UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], #"\xF4\x90\x80\x80"#),  // past U+10FFFF
        ([0xE2, 0x82, 0xAC, 0xFF], #"€\xFF"#),
    ])
    func bytesHaveOneStringFormAndComeBack(bytes: [UInt8], shown: String) {
        #expect(PathBytes.string(bytes) == shown)
        #expect(PathBytes.bytes(shown) == bytes)
        #expect(PathBytes.byteCount(shown) == bytes.count)
    }

    /// Only escapes of bytes that cannot be UTF-8 on their own (and the backslash) are read: a String
    /// cannot spell `/`, `.` or NUL through an escape.
    @Test func escapesNeverSpellASlashADotOrNUL() {
        #expect(PathBytes.bytes(#"a\x2Fb"#) == Array(#"a\x2Fb"#.utf8))
        #expect(PathBytes.bytes(#"\x2E\x2E"#) == Array(#"\x2E\x2E"#.utf8))
        #expect(PathBytes.bytes(#"\x00"#) == Array(#"\x00"#.utf8))
        #expect(PathBytes.bytes(#"\xe9"#) == [0xE9], "lower-case hex is read too")
    }

    @Test func systemCallsGetTheBytes() throws {
        let folder = "/tmp/pathbytes-\(getpid())"
        mkdir(folder, 0o755)
        defer {
            _ = PathBytes.withCString(folder + #"/caf\xE9"#) { unlink($0) }
            rmdir(folder)
        }
        let descriptor = PathBytes.withCString(folder + #"/caf\xE9"#) { open($0, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
        #expect(descriptor >= 0)
        close(descriptor)
        #expect(DirectoryNames.names(atPath: folder) == [#"caf\xE9"#])
        let raw: [CChar] = Array((folder + "/caf").utf8CString.dropLast()) + [CChar(bitPattern: 0xE9), 0]
        var info = stat()
        #expect(lstat(raw, &info) == 0, "the file on disk is named with the byte E9")
        #expect(PathBytes.exists(folder + #"/caf\xE9"#))
        #expect(!PathBytes.exists(folder + "/café"))
    }
}
