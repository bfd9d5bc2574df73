import Systemd

/// `ServiceNotifier` over sd_notify. Outside systemd (no `NOTIFY_SOCKET`) every call does nothing;
/// a failed datagram is not worth stopping the daemon for, so errors are dropped.
public struct SystemdNotifier: ServiceNotifier {
    let notifier: Notifier

    public init(environment: [String: String]) { notifier = Notifier(environment: environment) }

    public func ready() { try? notifier.ready() }
    public func reloading() { try? notifier.reloading() }
    public func stopping() { try? notifier.stopping() }
    public func status(_ text: String) { try? notifier.status(text) }
    public func watchdog() { try? notifier.watchdog() }
    public var watchdogInterval: Duration? { notifier.watchdogInterval }
}
