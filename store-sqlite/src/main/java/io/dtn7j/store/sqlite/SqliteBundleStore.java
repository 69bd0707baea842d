package io.dtn7j.store.sqlite;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.BundleStore;
import io.dtn7j.core.store.StoreException;
import io.dtn7j.core.store.StoreFullException;
import io.dtn7j.core.store.StoreLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The durable {@link BundleStore}: an SQLite index (WAL mode, {@code synchronous=FULL}) plus payload files.
 *
 * <p><b>Durability.</b> {@link #put}, {@link #updateMetadata} and {@link #remove} return only after their
 * change is committed and the write-ahead log is fsynced. A single writer thread commits the writes of all
 * concurrent callers in one transaction (group commit), so many callers share one fsync while every
 * acknowledgement still follows the fsync that made it durable.
 *
 * <p><b>Layout.</b> Encoded bundles of at most {@link SqliteStoreOptions#inlineThreshold()} bytes live in
 * the index row; larger ones are streamed (never whole in heap) to a temporary file, fsynced, renamed into
 * {@code data/} and the directory fsynced, before their index row is committed. See {@link StoreDirectory}.
 *
 * <p><b>Recovery.</b> Opening a directory replays SQLite's WAL, drops index rows whose payload file is
 * missing or truncated (which the write order above rules out short of disk corruption), deletes temporary
 * and unreferenced payload files (left by a crash between file and index commit), and sums count and bytes.
 * Nothing per bundle is kept in heap: lookups go to the index.
 *
 * <p>All methods are thread-safe. A store directory is opened by one store at a time (a file lock).
 */
public final class SqliteBundleStore implements BundleStore {

    private static final System.Logger LOG = System.getLogger(SqliteBundleStore.class.getName());
    private static final int FOR_EACH_PAGE = 512;

    private final StoreDirectory directory;
    private final IndexDatabase db;
    private final GroupCommitWriter writer;
    private final StoreLimits limits;
    private final SqliteStoreOptions options;
    private final RecoveryReport recovery;

    // Committed totals: written only by the writer thread (and during open), read by anyone.
    private volatile long count;
    private volatile long bytes;
    // Changes of the batch in progress: writer thread only.
    private long pendingCount;
    private long pendingBytes;

    private volatile boolean closed;

    /**
     * What opening the store found and repaired.
     *
     * @param bundles bundles found in the store
     * @param bytes their total encoded size in bytes
     * @param orphanFilesRemoved payload files without a database row, deleted
     * @param brokenRowsRemoved index rows whose payload file was missing or had the wrong size, deleted
     * @param millis how long opening took, in milliseconds
     */
    public record RecoveryReport(long bundles, long bytes, int orphanFilesRemoved, int brokenRowsRemoved,
                                 long millis) {
    }

    /**
     * Counters for monitoring and benchmarks.
     *
     * @param bundles       stored bundles
     * @param bytes         their total encoded size
     * @param commits       transactions committed by the group-commit writer (each one WAL fsync)
     * @param writes        writes (puts, updates, removals) committed
     * @param executeMillis time the writer spent running statements
     * @param commitMillis  time the writer spent committing, the WAL fsync included
     */
    public record Statistics(long bundles, long bytes, long commits, long writes, long executeMillis,
                             long commitMillis) {
    }

    private SqliteBundleStore(StoreDirectory directory, IndexDatabase db, StoreLimits limits,
                              SqliteStoreOptions options, long startNanos) throws StoreException {
        this.directory = directory;
        this.db = db;
        this.limits = limits;
        this.options = options;
        this.writer = new GroupCommitWriter(db.writer(), new GroupCommitWriter.BatchListener() {
            @Override
            public void begin() {
                pendingCount = 0;
                pendingBytes = 0;
            }

            @Override
            public void committed() {
                count += pendingCount;
                bytes += pendingBytes;
            }

            @Override
            public void rolledBack() {
                pendingCount = 0;
                pendingBytes = 0;
            }
        }, options.maxBatch(), "dtn7j-store-writer");
        try {
            this.recovery = recover(startNanos);
        } catch (StoreException | RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the store in {@code directory} without limits and with default options.
     *
     * @param directory the store's directory
     * @return the open store
     * @throws StoreException if the directory cannot be used (not writable, already open, newer schema, ...)
     */
    public static SqliteBundleStore open(Path directory) throws StoreException {
        return open(directory, StoreLimits.UNLIMITED, SqliteStoreOptions.DEFAULTS);
    }

    /**
     * Opens (creating if needed) the store in {@code directory} with the given limits and default options.
     *
     * @param directory the store's directory
     * @param limits the count and byte limits to enforce
     * @return the open store
     * @throws StoreException if the directory cannot be used (not writable, already open, newer schema, ...)
     */
    public static SqliteBundleStore open(Path directory, StoreLimits limits) throws StoreException {
        return open(directory, limits, SqliteStoreOptions.DEFAULTS);
    }

    /**
     * Opens (creating if needed) the store in {@code directory}, recovering from an earlier crash.
     *
     *
     * @param directory the store's directory
     * @param limits the count and byte limits to enforce
     * @param options tuning
     * @throws StoreException if the directory cannot be used (not writable, already open, newer schema, ...)
     * @return the open store
     */
    public static SqliteBundleStore open(Path directory, StoreLimits limits, SqliteStoreOptions options)
            throws StoreException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(options, "options");
        long start = System.nanoTime();
        StoreDirectory dir;
        try {
            dir = StoreDirectory.open(directory);
        } catch (IOException e) {
            throw new StoreException("cannot open the bundle store directory " + directory + ": " + e.getMessage(), e);
        }
        IndexDatabase db = null;
        try {
            db = IndexDatabase.open(dir.indexDatabase(), options.readers());
            return new SqliteBundleStore(dir, db, limits, options, start);
        } catch (SQLException e) {
            closeQuietly(db, dir);
            throw new StoreException("cannot open the bundle index " + dir.indexDatabase() + ": " + e.getMessage(), e);
        } catch (StoreException | RuntimeException e) {
            closeQuietly(db, dir);
            throw e;
        }
    }

    private static void closeQuietly(IndexDatabase db, StoreDirectory dir) {
        if (db != null) {
            db.close();
        }
        dir.close();
    }

    private RecoveryReport recover(long startNanos) throws StoreException {
        Set<String> referenced = new HashSet<>();
        List<String> broken = new ArrayList<>();
        long[] totals;
        try {
            db.read(r -> {
                r.forEachFileRow((id, size, file) -> {
                    if (directory.dataFileSize(file) == size) {
                        referenced.add(file);
                    } else {
                        broken.add(id);
                    }
                });
                return null;
            });
            for (String id : broken) {
                LOG.log(System.Logger.Level.WARNING, "bundle " + id + " lost its payload file in "
                        + directory.root() + "; dropping its index row");
                submit(new RemoveTask(id));
            }
            totals = db.read(IndexDatabase.Reader::totals);
        } catch (SQLException e) {
            throw new StoreException("cannot read the bundle index " + directory.indexDatabase() + ": "
                    + e.getMessage(), e);
        }
        int orphans;
        try {
            orphans = directory.cleanUp(referenced);
        } catch (IOException e) {
            throw new StoreException("cannot clean up " + directory.root() + ": " + e.getMessage(), e);
        }
        count = totals[0];
        bytes = totals[1];
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        RecoveryReport report = new RecoveryReport(count, bytes, orphans, broken.size(), millis);
        System.Logger.Level level = count > 0 || orphans > 0 || !broken.isEmpty()
                ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
        LOG.log(level, () -> "opened bundle store " + directory.root() + ": " + report);
        return report;
    }

    /** {@return what opening this store found and repaired, and how long it took} */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    /** {@return current counters} */
    public Statistics statistics() {
        return new Statistics(count, bytes, writer.commits(), writer.tasksCommitted(),
                writer.executeNanos() / 1_000_000, writer.commitNanos() / 1_000_000);
    }

    /** {@return the directory this store lives in} */
    public Path directory() {
        return directory.root();
    }

    // ---------------------------------------------------------------------------------------------- writes

    @Override
    public void put(BundleId id, ByteSource encodedBundle, BundleMetadata metadata) throws StoreException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(encodedBundle, "encodedBundle");
        Objects.requireNonNull(metadata, "metadata");
        requireOpen();
        String key = key(id);
        long size = encodedBundle.size();
        // Fail fast (before writing a large file) when the store is plainly full; the writer checks exactly.
        if (!limits.admits(count, bytes, size) && !contains(id)) {
            throw new StoreFullException(limits.refusal(count, bytes, size));
        }
        byte[] inline = null;
        String file = null;
        try {
            if (size <= options.inlineThreshold()) {
                inline = arrayOf(encodedBundle);
            } else {
                try (InputStream in = encodedBundle.openStream()) {
                    file = directory.writeDurably(in, size);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            if (isNoSpace(io)) {
                throw new StoreFullException("no space left in " + directory.root()
                        + " for a bundle of " + size + " bytes (depleted storage; free disk space)");
            }
            throw new StoreException("cannot store bundle " + id + " in " + directory.root() + ": "
                    + io.getMessage(), io);
        }
        IndexRow row = new IndexRow(key, metadata.destination().uri(), metadata.expiryDtnMs(), size,
                metadata.toBytes(), inline, file);
        boolean stored = false;
        try {
            submit(new PutTask(row));
            stored = true;
        } finally {
            if (!stored && file != null) {
                deleteFileQuietly(file);
            }
        }
    }

    @Override
    public void updateMetadata(BundleId id, BundleMetadata metadata) throws StoreException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(metadata, "metadata");
        requireOpen();
        String key = key(id);
        String destination = metadata.destination().uri();
        long expiry = metadata.expiryDtnMs();
        byte[] blob = metadata.toBytes();
        submit(new GroupCommitWriter.Task<Void>() {
            @Override
            Void execute(IndexDatabase.Writer w) throws SQLException, GroupCommitWriter.RejectedException {
                if (!w.update(key, destination, expiry, blob)) {
                    throw new GroupCommitWriter.RejectedException(new StoreException(
                            "cannot update bundle " + id + ": it is not stored"));
                }
                return null;
            }
        });
    }

    @Override
    public boolean remove(BundleId id) throws StoreException {
        Objects.requireNonNull(id, "id");
        requireOpen();
        return submit(new RemoveTask(key(id))) != null;
    }

    /** Inserts or replaces a row, within the limits; returns the replaced row's location, if any. */
    private final class PutTask extends GroupCommitWriter.Task<IndexDatabase.Location> {
        private final IndexRow row;

        PutTask(IndexRow row) {
            this.row = row;
        }

        @Override
        IndexDatabase.Location execute(IndexDatabase.Writer w) throws SQLException, GroupCommitWriter.RejectedException {
            long c = count + pendingCount;
            long b = bytes + pendingBytes;
            // The common case, a new bundle: one statement. Only if the id is taken, look at the old row.
            if (limits.admits(c, b, row.size()) && w.insertIfAbsent(row)) {
                pendingCount++;
                pendingBytes += row.size();
                return null;
            }
            IndexDatabase.Location old = w.find(row.id());
            if (old == null) {
                throw new GroupCommitWriter.RejectedException(new StoreFullException(limits.refusal(c, b, row.size())));
            }
            long without = b - old.size();
            if (row.size() > limits.maxBytes() - without) {
                throw new GroupCommitWriter.RejectedException(
                        new StoreFullException(limits.refusal(c - 1, without, row.size())));
            }
            w.replace(row);
            pendingBytes += row.size() - old.size();
            return old;
        }

        @Override
        void committed(IndexDatabase.Location old) {
            if (old != null && old.fileName() != null && !old.fileName().equals(row.fileName())) {
                deleteFileQuietly(old.fileName());
            }
        }
    }

    /** Deletes a row; returns its location, or null when there was none. */
    private final class RemoveTask extends GroupCommitWriter.Task<IndexDatabase.Location> {
        private final String key;

        RemoveTask(String key) {
            this.key = key;
        }

        @Override
        IndexDatabase.Location execute(IndexDatabase.Writer w) throws SQLException {
            IndexDatabase.Location old = w.delete(key);
            if (old != null) {
                pendingCount--;
                pendingBytes -= old.size();
            }
            return old;
        }

        @Override
        void committed(IndexDatabase.Location old) {
            if (old != null && old.fileName() != null) {
                deleteFileQuietly(old.fileName());
            }
        }
    }

    private <R> R submit(GroupCommitWriter.Task<R> task) throws StoreException {
        try {
            return writer.submitAndWait(task);
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof StoreException se) {
                throw se;
            }
            if (cause instanceof GroupCommitWriter.ClosedException) {
                throw new StoreException("the bundle store " + directory.root() + " is closed");
            }
            if (cause instanceof SQLException sql && (sql.getErrorCode() & 0xff) == 13) { // SQLITE_FULL
                throw new StoreFullException("the disk holding " + directory.root()
                        + " is full (depleted storage; free disk space)");
            }
            throw new StoreException("cannot write the bundle index " + directory.indexDatabase() + ": "
                    + cause.getMessage(), cause);
        }
    }

    private void deleteFileQuietly(String file) {
        try {
            directory.deleteDataFile(file);
        } catch (IOException e) {
            // An unreferenced file is removed at the next open anyway.
            LOG.log(System.Logger.Level.WARNING, "cannot delete payload file " + directory.dataFile(file)
                    + ": " + e.getMessage());
        }
    }

    // ----------------------------------------------------------------------------------------------- reads

    @Override
    public Optional<ByteSource> encoded(BundleId id) {
        Objects.requireNonNull(id, "id");
        String key = key(id);
        IndexDatabase.Location loc = read(r -> r.locate(key), null);
        if (loc == null) {
            return Optional.empty();
        }
        if (loc.fileName() != null) {
            return Optional.of(ByteSource.ofFile(directory.dataFile(loc.fileName()), 0, loc.size()));
        }
        return Optional.of(ByteSource.of(loc.inlineData()));
    }

    @Override
    public Optional<BundleMetadata> metadata(BundleId id) {
        Objects.requireNonNull(id, "id");
        String key = key(id);
        byte[] blob = read(r -> r.metadata(key), null);
        return blob == null ? Optional.empty() : Optional.of(BundleMetadata.fromBytes(blob));
    }

    @Override
    public boolean contains(BundleId id) {
        Objects.requireNonNull(id, "id");
        String key = key(id);
        Boolean found = read(r -> r.exists(key), Boolean.FALSE);
        return found;
    }

    /**
     * Visits every stored bundle's metadata in storage order. Rows are read in pages, so {@code action} may
     * call this store (even remove bundles) without deadlock; bundles stored during the walk may or may
     * not be visited. A row whose metadata cannot be decoded is logged and skipped.
     */
    @Override
    public void forEach(Consumer<BundleMetadata> action) {
        Objects.requireNonNull(action, "action");
        long after = 0;
        while (true) {
            long from = after;
            List<IndexDatabase.SeqMetadata> page = read(r -> r.page(from, FOR_EACH_PAGE), List.of());
            for (IndexDatabase.SeqMetadata row : page) {
                BundleMetadata md;
                try {
                    md = BundleMetadata.fromBytes(row.metadata());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping stored bundle #" + row.seq()
                            + " with unreadable metadata: " + e.getMessage());
                    continue;
                }
                action.accept(md);
            }
            if (page.size() < FOR_EACH_PAGE) {
                return;
            }
            after = page.get(page.size() - 1).seq();
        }
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    private <T> T read(IndexDatabase.ReadAction<T> action, T whenClosed) {
        if (closed) {
            return whenClosed;
        }
        try {
            return db.read(action);
        } catch (IndexDatabase.ClosedException e) {
            return whenClosed;
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("cannot read the bundle index "
                    + directory.indexDatabase() + ": " + e.getMessage(), e));
        }
    }

    // ------------------------------------------------------------------------------------------- lifecycle

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.close();
        db.checkpoint();
        db.close();
        directory.close();
    }

    private void requireOpen() throws StoreException {
        if (closed) {
            throw new StoreException("the bundle store " + directory.root() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "SqliteBundleStore[" + directory.root() + ", " + count + " bundles, " + bytes + " bytes]";
    }

    // --------------------------------------------------------------------------------------------- helpers

    /**
     * The index key of a bundle ID: unambiguous (the numbers come first and the kind is marked, so a
     * source URI containing '-' cannot make two IDs collide, as it can in the dtn7-rs string form).
     */
    static String key(BundleId id) {
        StringBuilder sb = new StringBuilder(64);
        sb.append(id.isFragment() ? 'F' : 'W').append(' ')
                .append(Long.toUnsignedString(id.creation().dtnTimeMs())).append(' ')
                .append(Long.toUnsignedString(id.creation().sequence())).append(' ');
        if (id.isFragment()) {
            sb.append(id.fragmentOffset()).append(' ').append(id.fragmentLength()).append(' ');
        }
        return sb.append(id.source().uri()).toString();
    }

    private static byte[] arrayOf(ByteSource source) {
        if (source.hasArray() && source.arrayOffset() == 0 && source.array().length == source.size()) {
            return source.array();
        }
        return source.toByteArray();
    }

    private static boolean isNoSpace(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("No space left") || m.contains("ENOSPC") || m.contains("not enough space"));
    }
}
