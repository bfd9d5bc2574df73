import GRDB

extension Schema {
    /// Throws unless every migration this code knows has been applied, and no other.
    ///
    /// For read-only opens, which must not migrate: a missing one means the file is older than the code.
    static func requireCurrent(_ db: Database, path: String) throws {
        let migrator = Self.migrator
        if try migrator.hasBeenSuperseded(db) {
            throw StoreError(
                code: .schemaNewer, operation: "open read-only", path: path,
                detail: "the database was written by a newer dropsight than this one; use that version's dropsight command")
        }
        let applied = try migrator.appliedIdentifiers(db)
        let missing = migrator.migrations.filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw StoreError(
                code: .schemaOutdated, operation: "open read-only", path: path,
                detail: """
                    the database is older than this dropsight (schema change\(missing.count == 1 ? "" : "s") \
                    \(missing.joined(separator: ", ")) not applied) and is left as it is; the daemon brings it \
                    up to date when it starts
                    """)
        }
    }
}
