/// What the daemon tells its supervisor. The systemd implementation sends sd_notify datagrams;
/// outside systemd every call does nothing.
public protocol ServiceNotifier: Sendable {
    func ready()
    func reloading()
    func stopping()
    func status(_ text: String)
    func watchdog()
    /// The watchdog period systemd asked for (`WatchdogSec=`), if any.
    var watchdogInterval: Duration? { get }
}
