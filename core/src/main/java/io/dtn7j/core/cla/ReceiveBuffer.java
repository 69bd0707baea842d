package io.dtn7j.core.cla;

import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.crc.Crc32cCheckpoints;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects the bytes of one incoming bundle as they arrive: in heap while small, in a spool file once it
 * grows above a threshold. It never allocates what a peer merely announces: heap grows with the bytes that
 * actually arrived. In the heap the bytes are read straight into chunks of at most {@link ByteSource#HEAP_CHUNK}
 * bytes (no intermediate buffer, no copying when growing, no array large enough to be a humongous object for
 * the garbage collector, unless the bundle is larger than 8 MiB), and {@link #toByteSource()} hands those chunks on without copying them.
 * {@link #close()} deletes the spool file; use the {@link #toByteSource()} result only before that (a result
 * held in the heap stays valid).
 */
public final class ReceiveBuffer implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;
    private static final int FIRST_CHUNK = 64 * 1024;
    /**
     * Once this much arrived, chunks grow to {@link #BULK_CHUNK}: a bundle this large lives longer than a young
     * collection, and chunks this size are humongous objects, which G1 never copies (small ones it would copy to
     * survivor and old regions while the bundle is in flight), and frees at the first collection after the bundle
     * is gone. The chunk is 16 bytes (a byte array's header) short of 4 MiB, so that it fills whole regions of every
     * power-of-two region size up to 4 MiB: a 4 MiB array plus its header would take three 2 MiB regions, wasting a
     * third of the heap it holds.
     */
    private static final long BULK_FROM = 8L << 20;
    static final int BULK_CHUNK = (4 << 20) - 16;
    /**
     * A bundle that grows past this many bytes gets CRC-32C checkpoints (every {@link #CHECKPOINT_STEP} bytes of each
     * chunk, computed as the bytes arrive, while they are in the CPU's cache), unless its primary block says it
     * carries no CRCs: the decoder's block CRC checks then derive their values from the checkpoints instead of
     * reading the payload a second time. A smaller bundle is checked in one pass over its bytes, which is cheaper
     * than recording and combining; a CLA may as well read one that size whole into an array of its own.
     */
    public static final int CHECKPOINTS_FROM = 64 * 1024;
    /** Bytes between two checkpoints: the most a block CRC check reads again at each end of a block. */
    static final int CHECKPOINT_STEP = 8 * 1024;

    private final Path spoolDirectory;
    private final long spoolThreshold;
    /** Full chunks, then the one being filled ({@code current}, {@code used} bytes of it). */
    private final List<byte[]> chunks = new ArrayList<>(4);
    /** CRC-32C checkpoints over each full chunk (null while {@link #tracking} is undecided or off). */
    private final List<Crc32cCheckpoints> chunkCheckpoints = new ArrayList<>(4);
    private byte[] current;
    private int used;
    /** Checkpoints being recorded over {@code current}, or null when it is not tracked. */
    private Crc32cCheckpoints.Recorder currentCheckpoints;
    /** Whether CRC-32C checkpoints are recorded (heap chunks, spool file): decided from the primary block's head. */
    private Tracking tracking = Tracking.UNDECIDED;
    private long size;
    /**
     * Where the bundle ends, once a caller said so ({@link #appendRest}), else -1: no chunk then reaches past it,
     * and a chunk that would leave only a sliver for a last one of its own takes the sliver too.
     */
    private long end = -1;
    private Path file;
    private OutputStream fileOut;
    /**
     * CRC-32C checkpoints over the spool file (every {@link #FILE_CHECKPOINT_STEP} bytes, computed while it is
     * written), or null when {@link #tracking} is off.
     */
    private Crc32cCheckpoints.Recorder fileCheckpoints;
    /** Bytes between two checkpoints of the spool file: the most a block CRC check reads back at each end. */
    static final int FILE_CHECKPOINT_STEP = 64 * 1024;

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
            switchToFile(bytes, offset, length);
        }
        if (file != null) {
            writeToFile(bytes, offset, length);
            size += length;
            return;
        }
        int off = offset;
        int left = length;
        while (left > 0) {
            int room = room(left);
            int n = Math.min(room, left);
            System.arraycopy(bytes, off, current, used, n);
            if (currentCheckpoints != null) {
                currentCheckpoints.update(current, used, n);
            }
            used += n;
            size += n;
            off += n;
            left -= n;
        }
    }

    /**
     * Free space in the chunk being filled, starting a new chunk when it is full: as large as the bytes still
     * expected in this call, at least as large as what arrived so far (geometric growth), at most
     * {@link ByteSource#HEAP_CHUNK}; so what is allocated ahead of the data is bounded by what already arrived
     * (or by the first chunk's size), and bytes handed over in many small pieces (HTTP body pieces, TCPCLv4
     * segments of a few bytes) fill chunks instead of making one chunk per piece.
     *
     * @param expected bytes the caller is about to add
     */
    private int room(long expected) {
        if (current != null && used < current.length) {
            return current.length - used;
        }
        if (current != null) {
            chunks.add(current);
            chunkCheckpoints.add(currentCheckpoints == null ? null : currentCheckpoints.checkpoints());
            current = null;
            currentCheckpoints = null;
        }
        if (tracking == Tracking.UNDECIDED && size >= CHECKPOINTS_FROM) {
            decideTracking(null, 0, 0);
            if (tracking == Tracking.ON) { // catch up over the chunks that arrived before
                for (int i = 0; i < chunks.size(); i++) {
                    byte[] c = chunks.get(i);
                    chunkCheckpoints.set(i, new Crc32cCheckpoints.Recorder(CHECKPOINT_STEP).update(c, 0, c.length)
                            .checkpoints());
                }
            }
        }
        long want = Math.max(Math.min(Math.max(expected, size), FIRST_CHUNK), size);
        want = Math.min(Math.max(want, 1), size >= BULK_FROM ? BULK_CHUNK : ByteSource.HEAP_CHUNK);
        if (end > size) {
            long rest = end - size;
            // the last chunk holds exactly the rest: the heap a bundle keeps is its size, not its size rounded up
            // to a chunk (a 64 KiB payload took two 64 KiB chunks, a 1 MiB one 1.25 MiB); below the bulk size a
            // chunk stretches by up to a sixteenth rather than leave the bundle's last few bytes a chunk of their own
            if (rest <= want || (want <= ByteSource.HEAP_CHUNK && rest <= want + want / 16)) {
                want = rest;
            }
        }
        current = new byte[(int) want];
        used = 0;
        currentCheckpoints = tracking == Tracking.ON ? new Crc32cCheckpoints.Recorder(CHECKPOINT_STEP) : null;
        return current.length;
    }

    /** Whether CRCs are computed as the bytes arrive. */
    private enum Tracking { UNDECIDED, ON, OFF }

    /**
     * Decides, from the primary block at the start, whether to compute CRCs as the bytes arrive: a bundle whose
     * primary block has no CRC is taken to have none elsewhere either (dtn7zero's, for one, have none at all); if one
     * of its blocks has a CRC after all, the check computes it in a pass of its own, as for any bundle without
     * checkpoints.
     */
    private void decideTracking(byte[] next, int offset, int length) {
        byte[] head = new byte[16];
        int n = (int) Math.min(head.length, size);
        heapSource().read(0, head, 0, n);
        int more = Math.min(head.length - n, length); // and from the bytes about to be appended
        if (more > 0) {
            System.arraycopy(next, offset, head, n, more);
            n += more;
        }
        tracking = primaryBlockWithoutCrc(head, n) ? Tracking.OFF : Tracking.ON;
    }

    /**
     * Whether the first bytes of an encoded bundle certainly show a primary block with CRC type 0: an indefinite
     * array, then an array of 8 to 11 items starting with version 7, the flags (an unsigned integer) and the CRC type
     * 0. Anything else, or too few bytes, is not certain.
     */
    static boolean primaryBlockWithoutCrc(byte[] head, int n) {
        if (n < 5 || (head[0] & 0xff) != 0x9f || (head[1] & 0xff) < 0x88 || (head[1] & 0xff) > 0x8b || head[2] != 7) {
            return false;
        }
        int flags = head[3] & 0xff;
        int crcAt = switch (flags >>> 5 == 0 ? flags & 0x1f : -1) {
            case 24 -> 5;
            case 25 -> 6;
            case 26 -> 8;
            case 27 -> 12;
            case -1, 28, 29, 30, 31 -> -1;
            default -> 4;
        };
        return crcAt > 0 && crcAt < n && head[crcAt] == 0;
    }

    /**
     * Reads exactly {@code n} bytes from {@code in} and appends them, as the last bytes of the bundle: the heap
     * chunks are sized to end where the bundle does. An MTCP or STCP frame, or the final segment of a TCPCLv4
     * transfer, is appended this way. Nothing is allocated ahead of the data beyond what {@link #appendFrom} would.
     *
     * @param in the stream to read from
     * @param n the number of bytes to read, the rest of the bundle
     * @throws EOFException when the stream ends first
     * @throws IOException if the stream or the spool file fails
     */
    public void appendRest(InputStream in, long n) throws IOException {
        end = size + n;
        appendFrom(in, n);
    }

    /**
     * Reads exactly {@code n} bytes from {@code in} and appends them; more may follow.
     *
     * @param in the stream to read from
     * @param n the number of bytes to read
     * @throws EOFException when the stream ends first
     */
    public void appendFrom(InputStream in, long n) throws IOException {
        long remaining = n;
        if (file == null && size + n <= spoolThreshold) {
            // straight into the chunks
            while (remaining > 0) {
                int room = room(remaining);
                int r = in.read(current, used, (int) Math.min(room, remaining));
                if (r < 0) {
                    throw new EOFException("stream ended with " + remaining + " of " + n + " announced bytes missing");
                }
                if (currentCheckpoints != null) {
                    currentCheckpoints.update(current, used, r); // just read: still in the cache
                }
                used += r;
                size += r;
                remaining -= r;
            }
            return;
        }
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
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
            byte[] b = new byte[n];
            heapSource().read(0, b, 0, n);
            return b;
        }
        fileOut.flush();
        byte[] b = new byte[n];
        try (InputStream in = Files.newInputStream(file)) {
            int read = in.readNBytes(b, 0, n);
            return read == n ? b : Arrays.copyOf(b, read);
        }
    }

    /**
     * The collected bytes, without copying: the heap chunks (which stay valid for as long as they are
     * referenced), or the spool file (valid until {@link #close()}).
     *
     * @return the bytes collected
     * @throws IOException if the spool file cannot be flushed
     */
    public ByteSource toByteSource() throws IOException {
        if (file == null) {
            return heapSource();
        }
        return fileSource();
    }

    private ByteSource heapSource() {
        if (chunks.isEmpty()) {
            return current == null ? ByteSource.empty() : ByteSource.of(current, 0, used);
        }
        List<ByteSource> parts = new ArrayList<>(chunks.size() + 1);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            Crc32cCheckpoints checkpoints = chunkCheckpoints.get(i);
            parts.add(checkpoints == null ? ByteSource.of(c)
                    : ByteSource.withCrc32cCheckpoints(c, 0, c.length, checkpoints));
        }
        if (current != null) {
            parts.add(currentCheckpoints == null ? ByteSource.of(current, 0, used)
                    : ByteSource.withCrc32cCheckpoints(current, 0, used, currentCheckpoints.checkpoints()));
        }
        return ByteSource.concat(parts);
    }

    /** {@return the bytes of heap the chunks take, filled or not} (for tests of what a bundle keeps allocated) */
    long heapCapacity() {
        long n = current == null ? 0 : current.length;
        for (byte[] c : chunks) {
            n += c.length;
        }
        return n;
    }

    /** Drops the data and deletes the spool file. */
    @Override
    public void close() {
        chunks.clear();
        chunkCheckpoints.clear();
        current = null;
        currentCheckpoints = null;
        used = 0;
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

    /** Writes to the spool file, recording its CRC-32C checkpoints on the way (the bytes are in the cache now). */
    private void writeToFile(byte[] bytes, int offset, int length) throws IOException {
        fileOut.write(bytes, offset, length);
        if (fileCheckpoints != null) {
            fileCheckpoints.update(bytes, offset, length);
        }
    }

    private ByteSource fileSource() throws IOException {
        fileOut.flush();
        return fileCheckpoints == null ? ByteSource.ofFile(file, 0, size)
                : ByteSource.ofFileWithCrc32cCheckpoints(file, 0, size, fileCheckpoints.checkpoints());
    }

    /** Moves what arrived so far to a spool file, before {@code next[offset, offset+length)} is appended. */
    private void switchToFile(byte[] next, int offset, int length) throws IOException {
        if (tracking == Tracking.UNDECIDED) {
            decideTracking(next, offset, length);
        }
        Files.createDirectories(spoolDirectory);
        file = Files.createTempFile(spoolDirectory, "cla-in-", ".bundle");
        fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), CHUNK);
        fileCheckpoints = tracking == Tracking.ON ? new Crc32cCheckpoints.Recorder(FILE_CHECKPOINT_STEP) : null;
        for (byte[] c : chunks) {
            writeToFile(c, 0, c.length);
        }
        if (current != null) {
            writeToFile(current, 0, used);
        }
        chunks.clear();
        chunkCheckpoints.clear();
        current = null;
        currentCheckpoints = null;
        used = 0;
    }
}
