package io.dtn7j.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite index: schema, the single writer connection and a small pool of reader connections.
 *
 * <p>WAL mode lets readers run while the writer commits. {@code synchronous=FULL} makes every commit
 * fsync the write-ahead log, so a committed row survives power loss and {@code kill -9}.
 *
 * <p>Columns are ordered so that scans reading the small columns never touch the overflow pages of
 * an inline encoded bundle ({@code data} is last).
 */
final class IndexDatabase implements AutoCloseable {

    /** Schema version kept in {@code PRAGMA user_version}. */
    static final int SCHEMA_VERSION = 1;

    private static final String CREATE_TABLE = """
            CREATE TABLE IF NOT EXISTS bundles (
              seq         INTEGER PRIMARY KEY,
              id          TEXT    NOT NULL UNIQUE,
              destination TEXT    NOT NULL,
              expiry      INTEGER NOT NULL,
              size        INTEGER NOT NULL,
              file        TEXT,
              metadata    BLOB    NOT NULL,
              data        BLOB
            )""";
    // destination and expiry are kept as columns for ad-hoc queries (sqlite3 index.db) but not indexed: no code
    // path looks bundles up by them, and every index costs each durable put and remove a B-tree update.

    private final String url;
    private final Connection writerConnection;
    private final Writer writer;
    private final BlockingQueue<Reader> readers;
    private final List<Reader> allReaders = new ArrayList<>();
    private volatile boolean closed;

    private IndexDatabase(String url, Connection writerConnection, int readerCount) throws SQLException {
        this.url = url;
        this.writerConnection = writerConnection;
        this.writer = new Writer(writerConnection);
        this.readers = new ArrayBlockingQueue<>(readerCount);
        try {
            for (int i = 0; i < readerCount; i++) {
                Reader r = new Reader(openConnection(url, true));
                allReaders.add(r);
                readers.add(r);
            }
        } catch (SQLException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Opens (creating if needed) the index database file. */
    static IndexDatabase open(Path file, int readerCount) throws SQLException {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection c = openConnection(url, false);
        try {
            try (Statement s = c.createStatement()) {
                String mode;
                try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                    mode = rs.next() ? rs.getString(1) : "?";
                }
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("could not switch " + file + " to WAL mode (got " + mode
                            + "); the store needs a local file system that supports shared memory");
                }
                int version;
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    version = rs.next() ? rs.getInt(1) : 0;
                }
                if (version > SCHEMA_VERSION) {
                    throw new SQLException("the index " + file + " has schema version " + version
                            + " but this dtn7j understands only up to " + SCHEMA_VERSION + "; use a newer dtn7j");
                }
                s.execute(CREATE_TABLE);
                s.executeUpdate("DROP INDEX IF EXISTS bundles_by_expiry");
                s.executeUpdate("DROP INDEX IF EXISTS bundles_by_destination");
                s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
            }
            c.setAutoCommit(false);
            return new IndexDatabase(url, c, readerCount);
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // reporting the first error
            }
            throw e;
        }
    }

    private static Connection openConnection(String url, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        if (readOnly) {
            config.setReadOnly(true);
            config.setCacheSize(-4096);
        } else {
            // Durability: in WAL mode FULL fsyncs the WAL at every commit; NORMAL would only sync at checkpoints.
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setCacheSize(-16384);
        }
        Connection c = config.createConnection(url);
        if (!readOnly) {
            try (Statement s = c.createStatement()) {
                // Checkpoint less often than the default 1000 pages; the WAL stays small enough to replay fast.
                s.execute("PRAGMA wal_autocheckpoint=4000");
                // Keep the WAL file from staying huge after a burst.
                s.execute("PRAGMA journal_size_limit=67108864");
            }
        }
        return c;
    }

    Writer writer() {
        return writer;
    }

    /** Runs {@code action} with a reader connection from the pool. */
    <T> T read(ReadAction<T> action) throws SQLException {
        Reader r = null;
        try {
            while (r == null) {
                if (closed) {
                    throw new ClosedException();
                }
                r = readers.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
        try {
            return action.apply(r);
        } finally {
            readers.add(r);
        }
    }

    /** The index was closed. */
    static final class ClosedException extends SQLException {
        ClosedException() {
            super("the store is closed");
        }
    }

    /** Writes the WAL back into the database and truncates it (best effort; used at close). */
    void checkpoint() {
        try {
            writerConnection.commit();
            writerConnection.setAutoCommit(true);
            try (Statement s = writerConnection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException ignored) {
            // the WAL is replayed at the next open anyway
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        closed = true;
        // Take every reader back from the pool first, so none is closed while a query runs on it.
        for (int i = 0; i < allReaders.size(); i++) {
            try {
                if (readers.poll(10, TimeUnit.SECONDS) == null) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Reader r : allReaders) {
            r.close();
        }
        writer.close();
        try {
            writerConnection.close();
        } catch (SQLException ignored) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return url;
    }

    /** Work done with a reader connection. */
    @FunctionalInterface
    interface ReadAction<T> {
        T apply(Reader reader) throws SQLException;
    }

    /** A read-only connection with its prepared statements. Used by one thread at a time. */
    static final class Reader {
        private final Connection connection;
        private final PreparedStatement exists;
        private final PreparedStatement metadata;
        private final PreparedStatement locate;
        private final PreparedStatement page;

        private Reader(Connection connection) throws SQLException {
            this.connection = connection;
            this.exists = connection.prepareStatement("SELECT 1 FROM bundles WHERE id = ?");
            this.metadata = connection.prepareStatement("SELECT metadata FROM bundles WHERE id = ?");
            this.locate = connection.prepareStatement("SELECT size, file, data FROM bundles WHERE id = ?");
            this.page = connection.prepareStatement(
                    "SELECT seq, metadata FROM bundles WHERE seq > ? ORDER BY seq LIMIT ?");
        }

        boolean exists(String id) throws SQLException {
            exists.setString(1, id);
            try (ResultSet rs = exists.executeQuery()) {
                return rs.next();
            }
        }

        /** The metadata blob, or null when there is no such bundle. */
        byte[] metadata(String id) throws SQLException {
            metadata.setString(1, id);
            try (ResultSet rs = metadata.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }

        /** Where the encoded bundle is, or null when there is no such bundle. */
        Location locate(String id) throws SQLException {
            locate.setString(1, id);
            try (ResultSet rs = locate.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long size = rs.getLong(1);
                String file = rs.getString(2);
                byte[] data = file == null ? rs.getBytes(3) : null;
                if (file == null && data == null) {
                    data = new byte[0];
                }
                return new Location(size, file, data);
            }
        }

        /** Up to {@code limit} (seq, metadata) rows with seq greater than {@code afterSeq}, in seq order. */
        List<SeqMetadata> page(long afterSeq, int limit) throws SQLException {
            page.setLong(1, afterSeq);
            page.setInt(2, limit);
            List<SeqMetadata> out = new ArrayList<>(Math.min(limit, 1024));
            try (ResultSet rs = page.executeQuery()) {
                while (rs.next()) {
                    out.add(new SeqMetadata(rs.getLong(1), rs.getBytes(2)));
                }
            }
            return out;
        }

        /** Number of rows and the sum of their sizes. */
        long[] totals() throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(size), 0) FROM bundles")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }

        /** Calls {@code action} for every row whose bundle lives in a payload file. */
        void forEachFileRow(FileRowAction action) throws SQLException {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, size, file FROM bundles WHERE file IS NOT NULL")) {
                while (rs.next()) {
                    action.accept(rs.getString(1), rs.getLong(2), rs.getString(3));
                }
            }
        }

        Connection connection() {
            return connection;
        }

        private void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    /** Receives (id, size, file) of rows with payload files. */
    @FunctionalInterface
    interface FileRowAction {
        void accept(String id, long size, String file);
    }

    /** Where an encoded bundle lives: inline bytes or a payload file name. */
    record Location(long size, String fileName, byte[] inlineData) {
    }

    /** A row's sequence number and metadata blob, as read by a page scan. */
    record SeqMetadata(long seq, byte[] metadata) {
    }

    /** The writer connection's statements. Used only by the group-commit writer thread. */
    static final class Writer {
        private final Connection connection;
        private final PreparedStatement insert;
        private final PreparedStatement insertIfAbsent;
        private final PreparedStatement replace;
        private final PreparedStatement update;
        private final PreparedStatement find;
        private final PreparedStatement delete;

        private Writer(Connection connection) throws SQLException {
            this.connection = connection;
            this.insert = connection.prepareStatement(
                    "INSERT INTO bundles(id, destination, expiry, size, file, metadata, data) VALUES (?,?,?,?,?,?,?)");
            this.insertIfAbsent = connection.prepareStatement(
                    "INSERT INTO bundles(id, destination, expiry, size, file, metadata, data) VALUES (?,?,?,?,?,?,?)"
                            + " ON CONFLICT(id) DO NOTHING");
            this.replace = connection.prepareStatement(
                    "UPDATE bundles SET destination = ?, expiry = ?, size = ?, file = ?, metadata = ?, data = ? WHERE id = ?");
            this.update = connection.prepareStatement(
                    "UPDATE bundles SET destination = ?, expiry = ?, metadata = ? WHERE id = ?");
            this.find = connection.prepareStatement("SELECT size, file FROM bundles WHERE id = ?");
            this.delete = connection.prepareStatement("DELETE FROM bundles WHERE id = ? RETURNING size, file");
        }

        void insert(IndexRow row) throws SQLException {
            bind(insert, row).executeUpdate();
        }

        /** Inserts a row unless one with its id exists. @return whether it was inserted */
        boolean insertIfAbsent(IndexRow row) throws SQLException {
            return bind(insertIfAbsent, row).executeUpdate() > 0;
        }

        private static PreparedStatement bind(PreparedStatement s, IndexRow row) throws SQLException {
            s.setString(1, row.id());
            s.setString(2, row.destination());
            s.setLong(3, row.expiry());
            s.setLong(4, row.size());
            s.setString(5, row.fileName());
            s.setBytes(6, row.metadata());
            s.setBytes(7, row.inlineData());
            return s;
        }

        /** Overwrites every column of an existing row. @return whether the row existed */
        boolean replace(IndexRow row) throws SQLException {
            replace.setString(1, row.destination());
            replace.setLong(2, row.expiry());
            replace.setLong(3, row.size());
            replace.setString(4, row.fileName());
            replace.setBytes(5, row.metadata());
            replace.setBytes(6, row.inlineData());
            replace.setString(7, row.id());
            return replace.executeUpdate() > 0;
        }

        /** @return whether the row existed */
        boolean update(String id, String destination, long expiry, byte[] metadata) throws SQLException {
            update.setString(1, destination);
            update.setLong(2, expiry);
            update.setBytes(3, metadata);
            update.setString(4, id);
            return update.executeUpdate() > 0;
        }

        /** The size and file of a row (inline data not read), or null when there is no such row. */
        Location find(String id) throws SQLException {
            find.setString(1, id);
            try (ResultSet rs = find.executeQuery()) {
                return rs.next() ? new Location(rs.getLong(1), rs.getString(2), null) : null;
            }
        }

        /** Deletes a row. @return what it held (size, file), or null when there was no such row */
        Location delete(String id) throws SQLException {
            delete.setString(1, id);
            try (ResultSet rs = delete.executeQuery()) {
                return rs.next() ? new Location(rs.getLong(1), rs.getString(2), null) : null;
            }
        }

        void commit() throws SQLException {
            connection.commit();
        }

        void rollback() {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is in trouble; the next batch will tell
            }
        }

        Connection connection() {
            return connection;
        }

        private void close() {
            for (PreparedStatement s : List.of(insert, insertIfAbsent, replace, update, find, delete)) {
                try {
                    s.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
