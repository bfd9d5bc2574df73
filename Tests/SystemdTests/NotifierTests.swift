import Foundation
import Testing

@testable import Systemd

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Notifier sends sd_notify datagrams")
struct NotifierTests {
    @Test("each message arrives byte-exact on a socket file")
    func messagesOnPathSocket() throws {
        let receiver = try DatagramReceiver.path()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        #expect(notifier.isEnabled)

        try notifier.ready()
        #expect(receiver.receive() == Array("READY=1".utf8))
        try notifier.status("3 queued, 1 uploading, 1,204 done")
        #expect(receiver.receive() == Array("STATUS=3 queued, 1 uploading, 1,204 done".utf8))
        try notifier.stopping()
        #expect(receiver.receive() == Array("STOPPING=1".utf8))
        try notifier.watchdog()
        #expect(receiver.receive() == Array("WATCHDOG=1".utf8))
        #expect(receiver.receive() == nil)
    }

    @Test("messages reach an abstract socket named with @")
    func messagesOnAbstractSocket() throws {
        let receiver = try DatagramReceiver.abstract()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        try notifier.ready()
        #expect(receiver.receiveText() == "READY=1")
        try notifier.watchdog()
        #expect(receiver.receiveText() == "WATCHDOG=1")
    }

    @Test("RELOADING=1 carries the monotonic clock in microseconds")
    func reloadingCarriesMonotonicTime() throws {
        let receiver = try DatagramReceiver.path()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        let before = Notifier.monotonicMicroseconds()
        try notifier.reloading()
        let after = Notifier.monotonicMicroseconds()

        let text = try #require(receiver.receiveText())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect(stamp >= before && stamp <= after)
    }

    @Test("a status with line breaks cannot add assignments")
    func statusStaysOneLine() throws {
        let receiver = try DatagramReceiver.path()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        try notifier.status("paused\nREADY=1")
        #expect(receiver.receiveText() == "STATUS=paused READY=1")
    }

    @Test("without NOTIFY_SOCKET every call does nothing")
    func disabledWithoutSocket() throws {
        for environment in [[:], ["NOTIFY_SOCKET": ""]] as [[String: String]] {
            let notifier = Notifier(environment: environment)
            #expect(!notifier.isEnabled)
            try notifier.ready()
            try notifier.reloading()
            try notifier.status("idle")
            try notifier.watchdog()
            try notifier.stopping()
        }
    }

    @Test("an unusable NOTIFY_SOCKET is reported with its value")
    func invalidSocket() throws {
        let relative = Notifier(environment: ["NOTIFY_SOCKET": "run/notify"])
        #expect(throws: SystemdError.self) { try relative.ready() }
        do {
            try relative.ready()
        } catch {
            #expect(error.code == .invalidNotifySocket)
            #expect(error.description.contains("run/notify"))
        }

        let missing = Notifier(environment: ["NOTIFY_SOCKET": "/nonexistent/dropsight/notify"])
        do {
            try missing.ready()
            Issue.record("sending to a missing socket succeeded")
        } catch {
            #expect(error.code == .sendFailed)
            #expect(error.errno?.rawValue == ENOENT)
        }
    }

    @Test("socket names that do not fit in sockaddr_un are refused, the longest that fit are used")
    func socketNameLength() throws {
        let directory = "/tmp/" + String(repeating: "d", count: 90)
        let fits = directory + "/" + String(repeating: "s", count: 107 - directory.utf8.count - 1)
        #expect(fits.utf8.count == 107)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let receiver = try DatagramReceiver.bound(at: fits)
        try Notifier(environment: ["NOTIFY_SOCKET": fits]).ready()
        #expect(receiver.receiveText() == "READY=1")

        do {
            try Notifier(environment: ["NOTIFY_SOCKET": fits + "x"]).ready()
            Issue.record("a 108-byte path was accepted")
        } catch {
            #expect(error.code == .invalidNotifySocket)
        }
        do {
            try Notifier(environment: ["NOTIFY_SOCKET": "@" + String(repeating: "a", count: 108)]).ready()
            Issue.record("a 108-byte abstract name was accepted")
        } catch {
            #expect(error.code == .invalidNotifySocket)
        }
    }

    @Test("the watchdog interval comes from WATCHDOG_USEC when WATCHDOG_PID is ours or absent")
    func watchdogInterval() {
        let own = String(getpid())
        #expect(Notifier(environment: ["WATCHDOG_USEC": "60000000"]).watchdogInterval == .seconds(60))
        #expect(
            Notifier(environment: ["WATCHDOG_USEC": "2500000", "WATCHDOG_PID": own]).watchdogInterval
                == .milliseconds(2500))
        #expect(Notifier(environment: ["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil)
        #expect(Notifier(environment: ["WATCHDOG_USEC": "0"]).watchdogInterval == nil)
        #expect(Notifier(environment: ["WATCHDOG_USEC": "soon"]).watchdogInterval == nil)
        #expect(Notifier(environment: [:]).watchdogInterval == nil)
        #expect(Notifier(environment: ["WATCHDOG_USEC": "60000000"]).watchdogPingInterval == .seconds(30))
    }
}
