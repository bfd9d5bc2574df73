import Crypto
import Foundation
import Logging
import NIOCore

/// Uploaded files and resumable upload sessions, bytes on disk, metadata as JSON beside them.
///
/// Layout under the root: `files/<id>.bin` + `files/<id>.json`, `uploads/<id>.part` +
/// `uploads/<id>.json`. Everything is reloaded at start, so a restart with the same root
/// keeps files and half-finished uploads. Runs on its own queue (blocking I/O).
actor FileStore {
    struct Limits: Sendable {
        var maxFileBytes: Int64
        var maxProjectBytes: Int64
        var processingSeconds: Double
    }

    private let executor = QueueExecutor(label: "gemini-emulator.files")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let filesDirectory: URL
    private let uploadsDirectory: URL
    private let clock: EmulatorClock
    private let limits: Limits
    private let logger: Logger
    private var files: [String: StoredFile] = [:]
    private var sessions: [String: UploadSession] = [:]
    /// Sessions with a chunk being received right now.
    private var receiving: Set<String> = []

    /// What `claim` found.
    enum Claim: Sendable {
        /// The chunk may be received; call `release` when done.
        case claimed(UploadSession)
        case finished(UploadSession)
        case cancelled
        /// Another chunk of the session is still arriving.
        case busy
        /// The client's offset is not the number of bytes received.
        case offsetMismatch(received: Int64)
    }

    static let fileLifetime: TimeInterval = 48 * 3600

    /// The emulator clock's current time.
    nonisolated var now: Date { clock.now }

    init(root: URL, clock: EmulatorClock, limits: Limits, logger: Logger) throws {
        filesDirectory = root.appendingPathComponent("files")
        uploadsDirectory = root.appendingPathComponent("uploads")
        self.clock = clock
        self.limits = limits
        self.logger = logger
        let manager = FileManager.default
        try manager.createDirectory(at: filesDirectory, withIntermediateDirectories: true)
        try manager.createDirectory(at: uploadsDirectory, withIntermediateDirectories: true)
        let decoder = JSONDecoder()
        for url in (try? manager.contentsOfDirectory(at: filesDirectory, includingPropertiesForKeys: nil)) ?? []
        where url.pathExtension == "json" {
            if let data = try? Data(contentsOf: url), let file = try? decoder.decode(StoredFile.self, from: data) {
                files[file.id] = file
            }
        }
        for url in (try? manager.contentsOfDirectory(at: uploadsDirectory, includingPropertiesForKeys: nil)) ?? []
        where url.pathExtension == "json" {
            if let data = try? Data(contentsOf: url), let session = try? decoder.decode(UploadSession.self, from: data) {
                sessions[session.id] = session
            }
        }
    }

    // MARK: Upload sessions

    func startSession(
        requestedFileID: String?, displayName: String?, mimeType: String, declaredSize: Int64?
    ) throws(StoreError) -> UploadSession {
        if let declaredSize, declaredSize > limits.maxFileBytes {
            throw StoreError(
                code: .fileTooLarge,
                message: "File size \(declaredSize) bytes exceeds the maximum allowed file size of \(limits.maxFileBytes) bytes.")
        }
        if let declaredSize, liveBytes() + declaredSize > limits.maxProjectBytes {
            throw StoreError(
                code: .projectFull,
                message: "Storage quota exceeded: the project may store at most \(limits.maxProjectBytes) bytes of files.")
        }
        if let requestedFileID {
            guard Self.isValidFileID(requestedFileID) else {
                throw StoreError(
                    code: .badName,
                    message:
                        "Invalid file name files/\(requestedFileID): the id must be 1-40 characters of [a-z0-9-] and may not start or end with '-'."
                )
            }
            guard liveFile(requestedFileID) == nil else {
                throw StoreError(code: .nameTaken, message: "File files/\(requestedFileID) already exists.")
            }
        }
        let session = UploadSession(
            id: RandomID.uploadID(), requestedFileID: requestedFileID, displayName: displayName,
            mimeType: mimeType, declaredSize: declaredSize, received: 0, state: .active,
            fileID: nil, createTime: clock.now
        )
        try DiskFile.truncate(partPath(session.id), to: 0)
        sessions[session.id] = session
        try save(session)
        return session
    }

    func session(_ id: String) -> UploadSession? {
        sessions[id]
    }

    /// Reserves an active session for one chunk starting at `offset` (nil = wherever it is).
    func claim(session id: String, offset: Int64?) -> Claim {
        guard let session = sessions[id] else { return .cancelled }
        switch session.state {
        case .final: return .finished(session)
        case .cancelled: return .cancelled
        case .active: break
        }
        guard !receiving.contains(id) else { return .busy }
        if let offset, offset != session.received { return .offsetMismatch(received: session.received) }
        receiving.insert(id)
        return .claimed(session)
    }

    func release(session id: String) {
        receiving.remove(id)
    }

    /// Writes one piece of a chunk at `offset` into the session's part file (not yet committed).
    func write(_ buffer: ByteBuffer, session id: String, at offset: Int64) throws(StoreError) {
        let path = partPath(id)
        var failure: StoreError?
        buffer.withUnsafeReadableBytes { bytes in
            do throws(StoreError) {
                try DiskFile.write(bytes, to: path, at: offset)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Records `received` committed bytes and drops anything written past them.
    func commit(session id: String, received: Int64) throws(StoreError) {
        guard var session = sessions[id] else { return }
        try DiskFile.truncate(partPath(id), to: received)
        session.received = received
        sessions[id] = session
        try save(session)
    }

    func cancel(session id: String) throws(StoreError) {
        guard var session = sessions[id], session.state == .active else { return }
        session.state = .cancelled
        sessions[id] = session
        try? FileManager.default.removeItem(atPath: partPath(id))
        try save(session)
    }

    /// Turns the session's bytes into a file: hashes them, moves them under `files/`.
    func finalize(session id: String) throws(StoreError) -> StoredFile {
        guard var session = sessions[id] else {
            throw StoreError(code: .io, message: "Upload session \(id) does not exist.")
        }
        if session.state == .final, let fileID = session.fileID, let file = files[fileID] {
            return file
        }
        if let declared = session.declaredSize, declared != session.received {
            throw StoreError(
                code: .sizeMismatch,
                message:
                    "The upload was finalized after \(session.received) bytes, but \(declared) bytes were declared in X-Goog-Upload-Header-Content-Length."
            )
        }
        if liveBytes() + session.received > limits.maxProjectBytes {
            throw StoreError(
                code: .projectFull,
                message: "Storage quota exceeded: the project may store at most \(limits.maxProjectBytes) bytes of files.")
        }
        var hasher = SHA256()
        try DiskFile.forEachChunk(of: partPath(id)) { hasher.update(bufferPointer: $0) }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        var fileID = session.requestedFileID ?? RandomID.fileID()
        while session.requestedFileID == nil, files[fileID] != nil { fileID = RandomID.fileID() }
        let now = clock.now
        let file = StoredFile(
            id: fileID, displayName: session.displayName, mimeType: session.mimeType,
            sizeBytes: session.received, createTime: now,
            activeTime: now.addingTimeInterval(limits.processingSeconds),
            expirationTime: now.addingTimeInterval(Self.fileLifetime), sha256Hex: hex
        )
        do {
            try? FileManager.default.removeItem(atPath: dataPath(fileID))
            try FileManager.default.moveItem(atPath: partPath(id), toPath: dataPath(fileID))
        } catch {
            throw StoreError(code: .io, message: "Cannot store file \(fileID): \(error)")
        }
        files[fileID] = file
        try save(file)
        session.state = .final
        session.fileID = fileID
        sessions[id] = session
        try save(session)
        logger.debug("file stored", metadata: ["emulator.file": "\(fileID)", "emulator.bytes": "\(file.sizeBytes)"])
        return file
    }

    // MARK: Files

    /// The file if it exists and has not expired; expired files are removed on the way.
    func liveFile(_ id: String) -> StoredFile? {
        guard let file = files[id] else { return nil }
        if clock.now >= file.expirationTime {
            remove(id)
            return nil
        }
        return file
    }

    func bytes(of id: String) -> Data? {
        guard liveFile(id) != nil else { return nil }
        return FileManager.default.contents(atPath: dataPath(id))
    }

    /// Where the bytes of a live file are, for reading them without loading them.
    func contentsPath(of id: String) -> String? {
        guard liveFile(id) != nil else { return nil }
        return dataPath(id)
    }

    /// A scratch path for a file the emulator writes itself before `adoptGenerated` stores it.
    nonisolated func scratchPath(for name: String) -> String {
        uploadsDirectory.appendingPathComponent("\(name).generated").path
    }

    /// Stores the bytes at `path` (moved, not copied) as the generated file `id`, ACTIVE at once,
    /// replacing any file of that id.
    func adoptGenerated(path: String, id: String, displayName: String?, mimeType: String) throws(StoreError) -> StoredFile {
        var hasher = SHA256()
        try DiskFile.forEachChunk(of: path) { hasher.update(bufferPointer: $0) }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        let now = clock.now
        let file = StoredFile(
            id: id, displayName: displayName, mimeType: mimeType, sizeBytes: size, createTime: now, activeTime: now,
            expirationTime: now.addingTimeInterval(Self.fileLifetime), sha256Hex: hex, generated: true)
        do {
            try? FileManager.default.removeItem(atPath: dataPath(id))
            try FileManager.default.moveItem(atPath: path, toPath: dataPath(id))
        } catch {
            throw StoreError(code: .io, message: "Cannot store file \(id): \(error)")
        }
        files[id] = file
        try save(file)
        return file
    }

    /// Live files newest first, a page at a time; the token is the last id of the previous page.
    func list(pageSize: Int, after token: String?) -> (files: [StoredFile], nextToken: String?) {
        let now = clock.now
        for file in files.values where now >= file.expirationTime { remove(file.id) }
        let ordered = files.values.sorted {
            $0.createTime != $1.createTime ? $0.createTime > $1.createTime : $0.id < $1.id
        }
        var start = 0
        if let token, let index = ordered.firstIndex(where: { $0.id == token }) {
            start = index + 1
        }
        let page = Array(ordered.dropFirst(start).prefix(pageSize))
        let next = start + page.count < ordered.count ? page.last?.id : nil
        return (page, next)
    }

    @discardableResult
    func delete(_ id: String) -> Bool {
        guard liveFile(id) != nil else { return false }
        remove(id)
        return true
    }

    // MARK: Helpers

    static func isValidFileID(_ id: String) -> Bool {
        guard (1...40).contains(id.count), !id.hasPrefix("-"), !id.hasSuffix("-") else { return false }
        return id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private func liveBytes() -> Int64 {
        let now = clock.now
        return files.values.filter { now < $0.expirationTime }.reduce(0) { $0 + $1.sizeBytes }
    }

    private func remove(_ id: String) {
        files[id] = nil
        try? FileManager.default.removeItem(atPath: dataPath(id))
        try? FileManager.default.removeItem(at: filesDirectory.appendingPathComponent("\(id).json"))
    }

    private func partPath(_ sessionID: String) -> String {
        uploadsDirectory.appendingPathComponent("\(sessionID).part").path
    }

    private func dataPath(_ fileID: String) -> String {
        filesDirectory.appendingPathComponent("\(fileID).bin").path
    }

    private func save(_ file: StoredFile) throws(StoreError) {
        try saveJSON(file, to: filesDirectory.appendingPathComponent("\(file.id).json"))
    }

    private func save(_ session: UploadSession) throws(StoreError) {
        try saveJSON(session, to: uploadsDirectory.appendingPathComponent("\(session.id).json"))
    }

    private func saveJSON(_ value: some Encodable, to url: URL) throws(StoreError) {
        do {
            try JSONEncoder().encode(value).write(to: url, options: .atomic)
        } catch {
            throw StoreError(code: .io, message: "Cannot write \(url.path): \(error)")
        }
    }
}
