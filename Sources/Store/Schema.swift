import GRDB

/// The database schema, one migration per released change.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE images (
                        path TEXT PRIMARY KEY NOT NULL,
                        folder TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        seen_at REAL NOT NULL
                    );
                    CREATE INDEX images_folder ON images(folder);

                    -- served_seq orders folders for round-robin claiming: lowest was served least recently.
                    CREATE TABLE folders (
                        folder TEXT PRIMARY KEY NOT NULL,
                        served_seq INTEGER NOT NULL DEFAULT 0
                    );

                    -- One row per (image, prompt): its current state and its latest result.
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        image_path TEXT NOT NULL REFERENCES images(path) ON DELETE CASCADE,
                        folder TEXT NOT NULL,
                        prompt TEXT NOT NULL,
                        prompt_hash TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
                        lease INTEGER NOT NULL DEFAULT 0,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        queued_at REAL NOT NULL,
                        next_attempt_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        finished_at REAL,
                        last_error TEXT,
                        result BLOB,
                        UNIQUE (image_path, prompt)
                    );
                    CREATE INDEX jobs_claim ON jobs(state, folder, queued_at, id);
                    CREATE INDEX jobs_finished ON jobs(state, finished_at);

                    CREATE TABLE usage (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at REAL NOT NULL,
                        model TEXT NOT NULL,
                        prompt_tokens INTEGER NOT NULL,
                        output_tokens INTEGER NOT NULL,
                        thoughts_tokens INTEGER NOT NULL,
                        total_tokens INTEGER NOT NULL
                    );
                    CREATE INDEX usage_at ON usage(at);

                    CREATE TABLE uploads (
                        name TEXT PRIMARY KEY NOT NULL,
                        uri TEXT NOT NULL,
                        mime_type TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        size_bytes INTEGER NOT NULL,
                        create_time REAL NOT NULL,
                        expiration_time REAL NOT NULL,
                        state TEXT NOT NULL,
                        last_used REAL NOT NULL
                    );
                    CREATE INDEX uploads_sha256 ON uploads(sha256, expiration_time);

                    CREATE TABLE upload_sessions (
                        session_url TEXT PRIMARY KEY NOT NULL,
                        path TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        mime_type TEXT NOT NULL,
                        offset_confirmed INTEGER NOT NULL,
                        started_at REAL NOT NULL
                    );
                    CREATE INDEX upload_sessions_sha256 ON upload_sessions(sha256, started_at);

                    -- Daemon-wide facts another process (dropsight status) must see, e.g. a quota pause.
                    CREATE TABLE daemon_state (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT
                    );
                    """)
        }
        migrator.registerMigration("v2") { db in
            // Which watched image uses which of our uploads (`api.delete_after_use`), so the link outlives a restart.
            try db.execute(
                sql: """
                    CREATE TABLE upload_users (
                        upload_name TEXT NOT NULL,
                        image_path TEXT NOT NULL,
                        PRIMARY KEY (upload_name, image_path)
                    );
                    CREATE INDEX upload_users_image ON upload_users(image_path);
                    """)
        }
        migrator.registerMigration("v3") { db in
            // Account-level holds the daemon has in force (the key refused, a model gone …), so `dropsight status`
            // in another process can say what is wrong. The daemon's memory is the truth; this is its mirror.
            try db.execute(
                sql: """
                    CREATE TABLE holds (
                        scope TEXT NOT NULL CHECK (scope IN ('key', 'model')),
                        model TEXT NOT NULL DEFAULT '',
                        reason TEXT NOT NULL,
                        since REAL NOT NULL,
                        next_check_at REAL NOT NULL,
                        PRIMARY KEY (scope, model)
                    );
                    """)
        }
        migrator.registerMigration("v4") { db in
            // The IMAGE tokens the API counted per image, per model and media resolution (`default` when none was
            // asked for): later estimates use them instead of the profile's rule.
            try db.execute(
                sql: """
                    CREATE TABLE image_tokens (
                        model TEXT NOT NULL,
                        media_resolution TEXT NOT NULL,
                        tokens INTEGER NOT NULL,
                        observed_at REAL NOT NULL,
                        PRIMARY KEY (model, media_resolution)
                    );
                    """)
        }
        migrator.registerMigration("v5") { db in
            // How many abnormal ends of the daemon in a row found this job in flight (0 once it ends any other way).
            try db.execute(
                sql: """
                    ALTER TABLE jobs ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX jobs_suspects ON jobs(state, queued_at) WHERE crashes > 0;
                    """)
        }
        migrator.registerMigration("v6") { db in
            // Which file intake hashed (0 when not known): a job reuses the hash only for that very file.
            try db.execute(
                sql: """
                    ALTER TABLE images ADD COLUMN device INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE images ADD COLUMN inode INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v7") { db in
            // Batch API submissions, each step recorded before and after it happens (see Store+Batches.swift),
            // and the jobs each one carries: a member is live while its batch has not ended and the job still
            // holds the lease it was claimed with.
            try db.execute(
                sql: """
                    CREATE TABLE batches (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        display_name TEXT NOT NULL UNIQUE,
                        model TEXT NOT NULL,
                        phase TEXT NOT NULL
                            CHECK (phase IN ('preparing', 'creating', 'running', 'downloading', 'publishing', 'ended')),
                        name TEXT,
                        input_file TEXT,
                        results_file TEXT,
                        requests INTEGER NOT NULL DEFAULT 0,
                        bytes INTEGER NOT NULL DEFAULT 0,
                        remote_state TEXT,
                        polls INTEGER NOT NULL DEFAULT 0,
                        next_poll_at REAL,
                        outcome TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX batches_phase ON batches(phase);

                    CREATE TABLE batch_members (
                        batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
                        job_id INTEGER NOT NULL,
                        lease INTEGER NOT NULL,
                        sent BLOB,
                        PRIMARY KEY (batch_id, job_id)
                    );
                    CREATE INDEX batch_members_job ON batch_members(job_id, lease);
                    """)
        }
        return migrator
    }
}
