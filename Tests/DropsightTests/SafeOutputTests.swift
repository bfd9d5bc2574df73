import DropsightTestSupport
import Foundation
import Testing

@testable import Dropsight

@Suite struct SafeOutputTests {
    @Test func writesAtomicallyAndLeavesNoTemporaries() throws {
        let folder = try TemporaryFolder(prefix: "ds-out")
        defer { folder.cleanup() }
        let dir = folder.path
        let out = SafeOutput(directory: dir)
        try out.write(Data("one".utf8), name: "a.json")
        try out.write(Data("two".utf8), name: "a.json")
        #expect(try String(contentsOfFile: dir + "/a.json", encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.json"])
    }

    @Test func plantedSymlinkIsReplacedNotFollowed() throws {
        let folder = try TemporaryFolder(prefix: "ds-out")
        let elsewhere = try TemporaryFolder(prefix: "ds-out")
        defer {
            folder.cleanup()
            elsewhere.cleanup()
        }
        let dir = folder.path
        let victim = elsewhere.path("victim.txt")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: dir + "/img.jpg.dropsight.json", withDestinationPath: victim)
        try SafeOutput(directory: dir).write(Data("{}".utf8), name: "img.jpg.dropsight.json")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/img.jpg.dropsight.json")
        #expect(attrs[.type] as? FileAttributeType == .typeRegular)
    }

    @Test func namesThatEscapeAreRefused() throws {
        let folder = try TemporaryFolder(prefix: "ds-out")
        defer { folder.cleanup() }
        let dir = folder.path
        for bad in ["../x", "a/b", "..", ""] {
            #expect(throws: SafeOutput.Failure.self) { try SafeOutput(directory: dir).write(Data(), name: bad) }
        }
    }

    @Test func ownOutputsAreRecognised() throws {
        let folder = try TemporaryFolder(prefix: "ds-out")
        defer { folder.cleanup() }
        let dir = folder.path
        FileManager.default.createFile(atPath: dir + "/IMG.jpg", contents: Data())
        let prompts: Set<String> = ["objects", "seg"]
        #expect(OutputNames.isOwnOutput(dir + "/IMG.jpg.dropsight.json", promptNames: prompts))
        #expect(OutputNames.isOwnOutput(dir + "/IMG.jpg.objects.png", promptNames: prompts))
        #expect(OutputNames.isOwnOutput(dir + "/IMG.jpg.seg.mask-3.png", promptNames: prompts))
        #expect(!OutputNames.isOwnOutput(dir + "/IMG.jpg.other.png", promptNames: prompts))
        #expect(!OutputNames.isOwnOutput(dir + "/photo.objects.png", promptNames: prompts))
        #expect(!OutputNames.isOwnOutput(dir + "/IMG.png", promptNames: prompts))
    }
}
