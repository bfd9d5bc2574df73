import DropsightTestSupport
import FileAccess
import Foundation
import Imaging
import Testing

@testable import Dropsight

/// File names are bytes: a Latin-1 name, a Latin-1 subfolder and a name holding a literal `\x` are all
/// processed, their outputs are named from the very same bytes, and the sidecar and journal show the
/// names escaped (`caf\xE9.jpg`).
@Suite(.serialized, .cleansUp) struct ByteNameTests {
    static let prompts = """
        [prompt.caption]
        text = "Write a one-sentence caption for this photo."

        [prompt.objects]
        kind = "detect"
        """

    @Test func namesThatAreNotUTF8AreProcessedAndTheirOutputsKeepTheBytes() async throws {
        let h = try await Harness(prompts: Self.prompts, folderPrompts: ["caption", "objects"])
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".jpg".utf8)
        let folder: [UInt8] = Array("f".utf8) + [0xF6] + Array("tos".utf8)
        let literal = Array(#"back\x41.jpg"#.utf8)
        let inbox = Array(h.inbox.utf8)
        let daemon = try await RunningDaemon.start(h)
        #expect(Bytes.makeFolder(inbox + [0x2F] + folder))
        try Bytes.drop(h, at: inbox + [0x2F] + latin1)
        try Bytes.drop(h, at: inbox + [0x2F] + folder + Array("/IMG.jpg".utf8))
        try Bytes.drop(h, at: inbox + [0x2F] + literal)
        try Bytes.drop(h, at: inbox + Array("/plain.jpg".utf8))

        let shown = [#"caf\xE9.jpg"#, #"f\xF6tos/IMG.jpg"#, #"back\x5Cx41.jpg"#, "plain.jpg"]
        var sidecars: [String: Sidecar] = [:]
        for name in shown {
            sidecars[name] = try #require(await h.waitForSidecar(h.inbox + "/" + name, prompts: 2), "no sidecar for \(name)")
        }
        await h.waitUntilRecorded()
        await daemon.stop()

        for (name, sidecar) in sidecars {
            #expect(sidecar.image.file == PathText.name(of: name))
            for (prompt, result) in sidecar.prompts { #expect(result.status == .ok, "\(name) \(prompt): \(result.error?.message ?? "")") }
        }
        #expect(daemon.logs.contains(#"caf\xE9.jpg"#), "the journal shows the name escaped")
        #expect(try await h.generateRequests().count == 8, "each photo asked once per prompt")

        // On disk every output carries its photo's bytes; nothing was named with U+FFFD or the escaped text.
        let top = Set(Bytes.names(in: inbox))
        for name in [latin1, literal] {
            #expect(top.contains(name + Array(OutputNames.sidecarSuffix.utf8)))
            #expect(top.contains(name + Array(".objects.png".utf8)))
        }
        #expect(Set(Bytes.names(in: inbox + [0x2F] + folder)).contains(Array("IMG.jpg.dropsight.json".utf8)))
        let all = Bytes.names(in: inbox) + Bytes.names(in: inbox + [0x2F] + folder)
        #expect(!all.contains { PathBytes.string($0).contains("\u{FFFD}") })
        #expect(!all.contains { String(decoding: $0, as: UTF8.self).contains(#"\xE9"#) })
        await h.stop()
    }

    /// `dropsight process` gets the name's bytes from its argv (a shell's printf makes the byte E9).
    @Test func processTakesALatin1NameFromTheCommandLine() async throws {
        let h = try await Harness()
        let name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".jpg".utf8)
        try Bytes.drop(h, at: Array(h.inbox.utf8) + [0x2F] + name)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = [
            "-c", #"exec "$0" process "$1/caf$(printf '\351').jpg" --config "$2""#, try DropsightBinary().path, h.inbox, h.configPath,
        ]
        shell.environment = ProcessInfo.processInfo.environment.merging(h.environment) { $1 }
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        #expect(String(decoding: printed, as: UTF8.self) == h.inbox + #"/caf\xE9.jpg"# + OutputNames.sidecarSuffix + "\n")
        let sidecar = try #require(await h.waitForSidecar(h.inbox + #"/caf\xE9.jpg"#, seconds: 1))
        #expect(sidecar.prompts["caption"]?.status == .ok)
        await h.stop()
    }
}

/// Files named by raw bytes, made and listed without going through a String.
private enum Bytes {
    static func cPath(_ bytes: [UInt8]) -> [CChar] { bytes.map { CChar(bitPattern: $0) } + [0] }

    static func makeFolder(_ path: [UInt8]) -> Bool { mkdir(cPath(path), 0o755) == 0 }

    /// Writes a small JPEG under a hidden name in the inbox, then renames it to `path`.
    static func drop(_ h: Harness, at path: [UInt8]) throws {
        let staged = try h.dropImage(named: "staged-\(UUID().uuidString).jpg", in: h.root)
        #expect(rename(staged, cPath(path)) == 0, "rename: \(errno)")
    }

    static func names(in directory: [UInt8]) -> [[UInt8]] {
        guard let dir = opendir(cPath(directory)) else { return [] }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: UInt8.self, capacity: 256) {
                    Array(UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))))
                }
            }
            if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }
}
