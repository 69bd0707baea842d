package io.dtn7j.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The on-disk layout of a durable store and the file operations on it.
 *
 * <pre>
 * &lt;root&gt;/store.lock        held (OS file lock) while a store is open: one process per directory
 * &lt;root&gt;/index.db          SQLite database (plus index.db-wal, index.db-shm in WAL mode)
 * &lt;root&gt;/data/xx/&lt;name&gt;.bundle   payload files of large bundles; xx = first two hex digits of the name
 * &lt;root&gt;/tmp/&lt;name&gt;.tmp    files being written; anything here at open time is garbage
 * </pre>
 *
 * A large bundle is written to {@code tmp/}, fsynced, renamed into {@code data/xx/}, and the directory
 * is fsynced; only then is its index row committed. A crash anywhere in between leaves at most an
 * unreferenced file, which {@link #cleanUp(Set)} removes at the next open.
 */
final class StoreDirectory implements AutoCloseable {

    static final String DATA_SUFFIX = ".bundle";
    private static final String TMP_SUFFIX = ".tmp";
    private static final boolean CAN_FSYNC_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

    private final Path root;
    private final Path data;
    private final Path tmp;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /**
     * Shard directories whose entry in {@code data/} this process has made durable (fsync of {@code data/} after it
     * saw the shard): a shard found existing, made by a concurrent writer, or left by a process that crashed before its
     * own fsync of {@code data/} may not be on stable storage yet, and a payload file in it would be lost with it.
     */
    private final java.util.Set<Path> durableShards = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private StoreDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.data = root.resolve("data");
        this.tmp = root.resolve("tmp");
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directories if needed and takes the store lock. */
    static StoreDirectory open(Path root) throws IOException {
        Files.createDirectories(root);
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("tmp"));
        FileChannel channel = FileChannel.open(root.resolve("store.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the store directory " + root
                    + " is already open (by this or another process); close that store first or use another directory");
        }
        return new StoreDirectory(root, channel, lock);
    }

    Path root() {
        return root;
    }

    Path indexDatabase() {
        return root.resolve("index.db");
    }

    /** Absolute path of a payload file given its name as stored in the index. */
    Path dataFile(String name) {
        return data.resolve(name.substring(0, 2)).resolve(name + DATA_SUFFIX);
    }

    /** A fresh random file name (32 hex digits). */
    static String newName() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
    }

    /**
     * Streams {@code in} into a new payload file and makes it durable (file fsync, rename, directory fsync).
     *
     * @return the file's name to store in the index
     * @throws SizeMismatchException if the stream did not hold exactly {@code expectedSize} bytes
     */
    String writeDurably(InputStream in, long expectedSize) throws IOException {
        String name = newName();
        Path temp = tmp.resolve(name + TMP_SUFFIX);
        boolean done = false;
        try {
            long written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                written = in.transferTo(out);
                out.flush();
                if (written != expectedSize) {
                    throw new SizeMismatchException(expectedSize, written);
                }
                channel.force(true);
            }
            Path target = dataFile(name);
            Path shard = target.getParent();
            if (!Files.isDirectory(shard)) {
                Files.createDirectories(shard);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + root + " cannot rename atomically; use another directory", e);
            }
            fsyncDirectory(shard);
            if (!durableShards.contains(shard)) {
                fsyncDirectory(data); // once per shard and process, whoever created the shard, and whenever
                durableShards.add(shard);
            }
            done = true;
            return name;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** {@return whether this process made the entry of {@code shard} in {@code data/} durable} (for tests) */
    boolean shardDurable(Path shard) {
        return durableShards.contains(shard);
    }

    /** Deletes a payload file; a missing file is not an error. */
    void deleteDataFile(String name) throws IOException {
        Files.deleteIfExists(dataFile(name));
    }

    /** Size of a payload file, or -1 if it is missing. */
    long dataFileSize(String name) {
        try {
            return Files.size(dataFile(name));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Removes everything in {@code tmp/} and every payload file whose name is not in {@code referenced}.
     *
     * @return how many files were removed
     */
    int cleanUp(Set<String> referenced) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(tmp)) {
            for (Path p : temps) {
                if (deleteQuietly(p)) {
                    removed++;
                }
            }
        }
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(data)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    if (deleteQuietly(shard)) {
                        removed++;
                    }
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path f : files) {
                        String fileName = f.getFileName().toString();
                        String name = fileName.endsWith(DATA_SUFFIX)
                                ? fileName.substring(0, fileName.length() - DATA_SUFFIX.length())
                                : null;
                        if (name == null || !referenced.contains(name)) {
                            if (deleteQuietly(f)) {
                                removed++;
                            }
                        }
                    }
                }
            }
        }
        if (removed > 0) {
            fsyncDirectory(data);
        }
        return removed;
    }

    private static boolean deleteQuietly(Path p) throws IOException {
        try {
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
                    for (Path c : children) {
                        deleteQuietly(c);
                    }
                }
            }
            return Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Makes a directory's entries (creations, renames, deletions) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        if (!CAN_FSYNC_DIRECTORIES) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        try {
            lockChannel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    /** The byte source delivered a different number of bytes than it announced. */
    static final class SizeMismatchException extends IOException {
        SizeMismatchException(long expected, long actual) {
            super("the encoded bundle announced " + expected + " bytes but delivered " + actual);
        }
    }
}
