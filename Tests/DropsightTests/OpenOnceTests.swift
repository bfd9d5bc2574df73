import DropsightTestSupport
import Foundation
import Imaging
import Testing

@testable import Dropsight

/// A photo is opened once, beneath its watched folder, never through a link: a photo or a subfolder
/// swapped for a symlink after intake saw it is refused without reading the link's target, outputs never
/// land in a linked subfolder's target, and intake's hash is reused only for the very file it hashed.
@Suite struct OpenOnceTests {
    /// A watched folder with `sub/photo.jpg`, and a folder outside it holding `outside.jpg`.
    struct Scene {
        let temporary: TemporaryFolder
        let root: String
        let photo: String
        let elsewhere: String

        init() throws {
            temporary = try TemporaryFolder(prefix: "ds-open")
            root = try temporary.make("watched")
            try temporary.make("watched/sub")
            photo = root + "/sub/photo.jpg"
            try Self.jpeg(fill: 90).write(to: URL(fileURLWithPath: photo))
            elsewhere = try temporary.make("elsewhere")
            try Self.jpeg(fill: 200).write(to: URL(fileURLWithPath: elsewhere + "/outside.jpg"))
        }

        static func jpeg(fill: UInt8) throws -> Data {
            try ImageCodec.encodeJPEG(PixelImage(width: 64, height: 48, bands: 3, fill: fill))
        }

        func subject(_ path: String, recorded: RecordedFile? = nil) throws(ImageSubject.Rejected) -> ImageSubject {
            try ImageSubject(path: path, root: root, maxPixels: 100_000_000, recorded: recorded)
        }

        func rejection(_ path: String) -> ImageSubject.Rejected? {
            do {
                _ = try subject(path)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func aPhotoSwappedForASymlinkIsRefusedUnread() throws {
        let scene = try Scene()
        try FileManager.default.removeItem(atPath: scene.photo)
        try FileManager.default.createSymbolicLink(atPath: scene.photo, withDestinationPath: scene.elsewhere + "/outside.jpg")
        let rejected = try #require(scene.rejection(scene.photo))
        #expect(rejected.code == "symbolic_link")
        #expect(rejected.message.contains("never followed"), "\(rejected.message)")
        #expect(rejected.facts.sha256 == "" && rejected.facts.bytes == 0, "the link's target was read")
    }

    @Test func aSubfolderSwappedForASymlinkIsRefusedUnread() throws {
        let scene = try Scene()
        try FileManager.default.removeItem(atPath: scene.root + "/sub")
        try FileManager.default.createSymbolicLink(atPath: scene.root + "/sub", withDestinationPath: scene.elsewhere)
        let rejected = try #require(scene.rejection(scene.root + "/sub/outside.jpg"))
        #expect(rejected.code == "symbolic_link")
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let scene = try Scene()
        #expect(mkfifo(scene.root + "/pipe.jpg", 0o644) == 0)
        #expect(scene.rejection(scene.root + "/pipe.jpg")?.code == "not_a_regular_file")
    }

    @Test func intakesHashIsReusedOnlyForTheFileItHashed() throws {
        let scene = try Scene()
        let record = try Intake.facts(path: scene.photo, folder: scene.root, maxFileBytes: 1 << 30)
        #expect(record.sha256 == (try FileHash.sha256Hex(path: scene.photo)))
        #expect(record.device != 0 && record.inode != 0)
        // A stand-in hash shows which one the subject took.
        let stamp = String(repeating: "ab", count: 32)
        var recorded = RecordedFile(device: record.device, inode: record.inode, size: record.size, mtimeNs: record.mtimeNs, sha256: stamp)
        #expect(try scene.subject(scene.photo, recorded: recorded).facts.sha256 == stamp, "the photo was hashed again")

        // The same name, now another file (same size and mtime, another inode): hashed afresh.
        let replacement = scene.root + "/sub/.replacement"
        try FileManager.default.copyItem(atPath: scene.photo, toPath: replacement)
        let mtime = timespec(tv_sec: Int(record.mtimeNs / 1_000_000_000), tv_nsec: Int(record.mtimeNs % 1_000_000_000))
        var times = [mtime, mtime]
        #expect(utimensat(AT_FDCWD, replacement, &times, 0) == 0)
        #expect(rename(replacement, scene.photo) == 0)
        #expect(try scene.subject(scene.photo, recorded: recorded).facts.sha256 == record.sha256)
        recorded.inode = 0
        #expect(try scene.subject(scene.photo, recorded: recorded).facts.sha256 == record.sha256)
    }

    @Test func outputsNeverLandInALinkedSubfolder() throws {
        let scene = try Scene()
        try FileManager.default.removeItem(atPath: scene.root + "/sub")
        try FileManager.default.createSymbolicLink(atPath: scene.root + "/sub", withDestinationPath: scene.elsewhere)
        let location = OutputLocation(imagePath: scene.root + "/sub/outside.jpg", folderRoot: scene.root, outputDir: nil)
        #expect(throws: SafeOutput.Failure.self) {
            try location.output.write(Data("{}".utf8), name: location.names.sidecar)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scene.elsewhere) == ["outside.jpg"])
        #expect(location.readSidecar() == nil)
    }
}

/// A photo whose prompts send different sizes is decoded once, for the largest copy, and the smaller copies
/// are made from that copy: shown by changing the photo's bytes in place after the first copy was asked for.
@Suite struct DecodeOnceTests {
    static func photo(fill: UInt8) throws -> Data {
        try ImageCodec.encodeJPEG(PixelImage(width: 1200, height: 900, bands: 3, fill: fill))
    }

    /// Overwrites the file's bytes in place (same inode, so the subject's open file sees them).
    static func rewriteInPlace(_ path: String, with data: Data) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: data)
        try handle.close()
    }

    @Test func theLargestPlannedCopyIsMadeFromThePhotoAndTheSmallerFromIt() throws {
        let temporary = try TemporaryFolder(prefix: "ds-decode")
        let path = temporary.path + "/photo.jpg"
        try Self.photo(fill: 40).write(to: URL(fileURLWithPath: path))
        let subject = try ImageSubject(path: path, root: temporary.path, maxPixels: 100_000_000)
        #expect(subject.needsPlan)
        #expect(!subject.needsPlan, "only the first prompt plans")
        subject.plan([.maxSide(300), .maxSide(900)])

        let small = try subject.prepared(.maxSide(300))
        try Self.rewriteInPlace(path, with: Self.photo(fill: 220))
        let large = try subject.prepared(.maxSide(900))

        #expect((small.width, small.height) == (300, 225))
        #expect((large.width, large.height) == (900, 675))
        for copy in [small, large] {
            let pixels = try ImageCodec.decode(copy.data)
            #expect((pixels.width, pixels.height) == (copy.width, copy.height))
            #expect(abs(Int(pixels[150, 100]) - 40) < 6, "the copy was decoded from the photo after it changed: \(pixels[150, 100])")
        }
    }

    /// Without a plan each size is made when asked, from the photo (`dropsight estimate`, one-off calls).
    @Test func withoutAPlanEachCopyComesFromThePhotoWhenAskedFor() throws {
        let temporary = try TemporaryFolder(prefix: "ds-decode")
        let path = temporary.path + "/photo.jpg"
        try Self.photo(fill: 40).write(to: URL(fileURLWithPath: path))
        let subject = try ImageSubject(path: path, root: temporary.path, maxPixels: 100_000_000)
        _ = try subject.prepared(.maxSide(300))
        try Self.rewriteInPlace(path, with: Self.photo(fill: 220))
        let large = try ImageCodec.decode(try subject.prepared(.maxSide(900)).data)
        #expect(abs(Int(large[150, 100]) - 220) < 6)
    }
}
