package io.dtn7j.core.cla;

import io.dtn7j.bundle.ByteSource;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Collects the bytes of one incoming bundle as they arrive: in heap while small, in a spool file once it
 * grows above a threshold. It never allocates what a peer merely announces: heap grows with the bytes that
 * actually arrived. {@link #close()} deletes the spool file; use the {@link #toByteSource()} result only
 * before that.
 */
public final class ReceiveBuffer implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;

    private final Path spoolDirectory;
    private final long spoolThreshold;
    private byte[] heap = new byte[256];
    private long size;
    private Path file;
    private OutputStream fileOut;

    /**
     * An empty buffer.
     *
     * @param spoolDirectory where to create the spool file (created if missing)
     * @param spoolThreshold bundles above this many bytes go to a file
     */
    public ReceiveBuffer(Path spoolDirectory, long spoolThreshold) {
        this.spoolDirectory = spoolDirectory;
        this.spoolThreshold = spoolThreshold;
    }

    /** {@return bytes collected so far} */
    public long size() {
        return size;
    }

    /** {@return true once the data went to a spool file} */
    public boolean spooled() {
        return file != null;
    }

    /**
     * Appends {@code bytes}.
     *
     * @param bytes the array holding the bytes
     * @param offset index in {@code bytes} of the first byte
     * @param length number of bytes
     * @throws IOException if the spool file cannot be written
     */
    public void append(byte[] bytes, int offset, int length) throws IOException {
        if (file == null && size + length > spoolThreshold) {
            switchToFile();
        }
        if (file != null) {
            fileOut.write(bytes, offset, length);
        } else {
            ensureHeap(size + length);
            System.arraycopy(bytes, offset, heap, (int) size, length);
        }
        size += length;
    }

    /**
     * Reads exactly {@code n} bytes from {@code in} and appends them.
     *
     *
     * @param in the stream to read from
     * @param n the number of bytes to read
     * @throws EOFException when the stream ends first
     */
    public void appendFrom(InputStream in, long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
        long remaining = n;
        while (remaining > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (r < 0) {
                throw new EOFException("stream ended with " + remaining + " of " + n + " announced bytes missing");
            }
            append(buf, 0, r);
            remaining -= r;
        }
    }

    /**
     * Up to {@code max} bytes from the start (for a look at the primary block before the rest arrives).
     *
     * @param max the largest number of bytes to return
     * @return the first bytes, at most {@code max}
     * @throws IOException if the spool file cannot be read
     */
    public byte[] head(int max) throws IOException {
        int n = (int) Math.min(max, size);
        if (file == null) {
            return Arrays.copyOf(heap, n);
        }
        fileOut.flush();
        byte[] b = new byte[n];
        try (InputStream in = Files.newInputStream(file)) {
            int read = in.readNBytes(b, 0, n);
            return read == n ? b : Arrays.copyOf(b, read);
        }
    }

    /**
     * The collected bytes; backed by the spool file when spooled (valid until {@link #close()}).
     *
     * @return the bytes collected
     * @throws IOException if the spool file cannot be flushed
     */
    public ByteSource toByteSource() throws IOException {
        if (file == null) {
            return ByteSource.of(heap, 0, (int) size);
        }
        fileOut.flush();
        return ByteSource.ofFile(file, 0, size);
    }

    /** Drops the data and deletes the spool file. */
    @Override
    public void close() {
        heap = new byte[0];
        if (file != null) {
            try {
                fileOut.close();
            } catch (IOException ignored) {
                // deleting anyway
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                System.getLogger(ReceiveBuffer.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot delete spool file " + file + ": " + e.getMessage());
            }
            file = null;
        }
    }

    private void ensureHeap(long needed) {
        if (needed > heap.length) {
            long n = Math.max(needed, Math.min((long) heap.length * 2, spoolThreshold));
            heap = Arrays.copyOf(heap, (int) n);
        }
    }

    private void switchToFile() throws IOException {
        Files.createDirectories(spoolDirectory);
        file = Files.createTempFile(spoolDirectory, "cla-in-", ".bundle");
        fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), CHUNK);
        fileOut.write(heap, 0, (int) size);
        heap = new byte[0];
    }
}
