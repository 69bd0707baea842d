package io.dtn7j.store.sqlite;

/**
 * Tuning of a {@link SqliteBundleStore}. The defaults suit a daemon; tests and benchmarks may change them.
 *
 * @param inlineThreshold encoded bundles of at most this many bytes are kept inside the SQLite database;
 *                        larger ones are streamed to payload files (0 = every bundle in a file)
 * @param maxBatch        most writes the group-commit writer puts into one transaction
 * @param readers         number of reader connections (concurrent lookups)
 */
public record SqliteStoreOptions(int inlineThreshold, int maxBatch, int readers) {

    /** Default: bundles up to 64 KiB inline, batches of up to 1024 writes, 4 readers. */
    public static final SqliteStoreOptions DEFAULTS = new SqliteStoreOptions(64 * 1024, 1024, 4);

    /** Validates the options. */
    public SqliteStoreOptions {
        if (inlineThreshold < 0 || inlineThreshold > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("inlineThreshold must be within 0..16 MiB, got " + inlineThreshold);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
        }
        if (readers < 1 || readers > 64) {
            throw new IllegalArgumentException("readers must be within 1..64, got " + readers);
        }
    }

    /**
     * A copy with another inline threshold.
     *
     * @param bytes the new inline threshold in bytes
     * @return the copy
     */
    public SqliteStoreOptions withInlineThreshold(int bytes) {
        return new SqliteStoreOptions(bytes, maxBatch, readers);
    }

    /**
     * A copy with another batch size limit.
     *
     * @param writes the new largest number of writes per transaction
     * @return the copy
     */
    public SqliteStoreOptions withMaxBatch(int writes) {
        return new SqliteStoreOptions(inlineThreshold, writes, readers);
    }

    /**
     * A copy with another number of reader connections.
     *
     * @param connections the new number of reader connections
     * @return the copy
     */
    public SqliteStoreOptions withReaders(int connections) {
        return new SqliteStoreOptions(inlineThreshold, maxBatch, connections);
    }
}
