import Foundation

/// `[state]`: where the database lives.
public struct StateSettings: Sendable, Equatable {
    /// Directory for `dropsight.sqlite3`. Default: `$STATE_DIRECTORY`, else `/var/lib/dropsight` as root, else `$XDG_STATE_HOME/dropsight`.
    public var dir: String
    /// Seconds given to requests in flight at stop. Default 20 s (shorter than the unit's TimeoutStopSec=30).
    public var shutdownGrace: Duration = .seconds(20)

    /// The state database, `dir/dropsight.sqlite3` (mode 0600).
    public var databasePath: String { dir + "/dropsight.sqlite3" }
}
