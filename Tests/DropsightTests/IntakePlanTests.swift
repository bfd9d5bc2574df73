import Foundation
import Store
import Testing
import Watcher

@testable import Dropsight

/// What a folder scan does with each file it finds, decided from the scan and the Store's fingerprints alone.
@Suite struct IntakePlanTests {
    let folder = FolderSettings(path: "/photos", prompts: ["caption"])
    let specs = [PromptSpec(name: "caption", hash: "h1")]
    let now: Int64 = 1_800_000_000 * 1_000_000_000
    let quiet: Duration = .seconds(2)

    func file(_ name: String, size: Int64 = 100, ageSeconds: Int64 = 60) -> ScannedFile {
        ScannedFile(path: "/photos/" + name, size: size, mtimeNs: now - ageSeconds * 1_000_000_000)
    }

    func plan(_ files: [ScannedFile], known: [String: Fingerprint]) -> Intake.ScanPlan {
        Intake.plan(files, known: known, specs: specs, folder: folder, quiet: quiet, nowNs: now)
    }

    @Test func aNewQuietFileIsHashedAndAYoungOneWaits() {
        let p = plan([file("old.jpg"), file("young.jpg", ageSeconds: 1)], known: [:])
        #expect(p.toHash == ["/photos/old.jpg"])
        #expect(p.young.map(\.path) == ["/photos/young.jpg"])
        #expect(p.young.first?.quiet == quiet)
        #expect(p.unchangedContent.isEmpty && p.unpublished.isEmpty && p.knownFound == 0)
    }

    @Test func knownContentWithAStalePromptIsQueuedWithoutHashing() {
        let f = file("a.jpg")
        let known = ["/photos/a.jpg": Fingerprint(size: f.size, mtimeNs: f.mtimeNs, sha256: "abc", promptHashes: ["caption": "old"])]
        let p = plan([f], known: known)
        #expect(p.toHash.isEmpty)
        #expect(p.unchangedContent.map(\.sha256) == ["abc"])
        #expect(p.knownFound == 1)
    }

    @Test func aChangedFileIsHashedAgain() {
        let f = file("a.jpg", size: 200)
        let known = ["/photos/a.jpg": Fingerprint(size: 100, mtimeNs: f.mtimeNs, sha256: "abc", promptHashes: ["caption": "h1"])]
        let p = plan([f], known: known)
        #expect(p.toHash == ["/photos/a.jpg"])
        #expect(p.unchangedContent.isEmpty)
    }

    @Test func aCurrentResultWithoutItsSidecarIsRepublishedAndOneWithItIsLeftAlone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let here = FolderSettings(path: dir, prompts: ["caption"])
        let with = ScannedFile(path: dir + "/with.jpg", size: 1, mtimeNs: now - 60_000_000_000)
        let without = ScannedFile(path: dir + "/without.jpg", size: 1, mtimeNs: now - 60_000_000_000)
        FileManager.default.createFile(atPath: with.path + OutputNames.sidecarSuffix, contents: Data("{}".utf8))
        let done = { (f: ScannedFile) in Fingerprint(size: f.size, mtimeNs: f.mtimeNs, sha256: "s", promptHashes: ["caption": "h1"]) }
        let p = Intake.plan(
            [with, without], known: [with.path: done(with), without.path: done(without)], specs: specs, folder: here,
            quiet: quiet, nowNs: now)
        #expect(p.unpublished == [without.path])
        #expect(p.toHash.isEmpty && p.unchangedContent.isEmpty && p.young.isEmpty)
        #expect(p.knownFound == 2)
    }
}
