package io.dtn7j.bundle.fragment;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.fragment.ReassemblyException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reassembles fragmented bundles (RFC 9171 §5.9). Fragments of one bundle (same source and creation timestamp) may
 * arrive in any order, overlap and repeat; when their payloads cover the whole application data unit,
 * {@link #accept} returns the original bundle: the primary block without the fragment fields and the is-fragment
 * flag, and the canonical blocks of the fragment at offset 0 with the reassembled payload. Where fragments overlap,
 * the bytes received first are kept.
 *
 * <p>Memory is bounded by {@link ReassemblyOptions}: only bytes actually received are buffered (never what a total
 * length merely claims), the heap budget and the number of pending bundles are capped (the least recently updated
 * bundle is dropped first), and ADUs above the spill threshold are written straight to a file whose range becomes the
 * reassembled payload ({@link ByteSource#ofFile}); that file then belongs to the caller. Thread-safe.
 */
public final class Reassembler {

    private final ReassemblyOptions options;
    private final LinkedHashMap<BundleId, Pending> pending = new LinkedHashMap<>(16, 0.75f, true);
    private long bufferedBytes;
    private long dropped;

    /** A reassembler with {@link ReassemblyOptions#DEFAULT}. */
    public Reassembler() {
        this(ReassemblyOptions.DEFAULT);
    }

    /**
     * A reassembler with the given limits and storage.
     *
     * @param options the limits and the spill directory
     */
    public Reassembler(ReassemblyOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
    }

    /**
     * Takes one fragment. Returns the reassembled bundle when this fragment completes it, otherwise empty. A
     * bundle
     * that is not a fragment is returned unchanged.
     *
     *
     * @param fragment the received fragment, or a whole bundle
     * @throws ReassemblyException if the fragment is inconsistent with itself or earlier fragments, too large for the
     *                             options, or cannot be stored; the fragment is then ignored
     * @return the reassembled bundle, or empty while fragments are missing
     */
    public synchronized Optional<Bundle> accept(Bundle fragment) {
        if (!fragment.isFragment()) {
            return Optional.of(fragment);
        }
        FragmentInfo info = fragment.primary().fragment();
        BundleId key = fragment.id().withoutFragment();
        long total = info.totalAduLength();
        ByteSource data = fragment.hasPayload() ? fragment.payload() : ByteSource.empty();
        long offset = info.offset();
        long length = data.size();
        if (total <= 0 || offset < 0 || offset > total || length > total - offset) {
            throw new ReassemblyException(Reason.INCONSISTENT_FRAGMENT, "fragment " + fragment.id() + " covers ["
                    + offset + ", " + offset + "+" + length + ") outside the ADU of " + total + " bytes", null);
        }
        if (total > options.maxAduLength()) {
            throw new ReassemblyException(Reason.TOO_LARGE, "fragment " + fragment.id() + " belongs to an ADU of "
                    + total + " bytes; the limit is " + options.maxAduLength(), null);
        }
        Pending p = pending.get(key);
        if (p != null && p.total != total) {
            throw new ReassemblyException(Reason.INCONSISTENT_FRAGMENT, "fragment " + fragment.id() + " says the ADU has "
                    + total + " bytes, earlier fragments said " + p.total, null);
        }
        if (p == null) {
            p = open(key, total);
        }
        if (offset == 0 && p.first == null) {
            p.first = detach(fragment, p);
        }
        List<long[]> gaps = p.coverage.add(offset, offset + length);
        if (!gaps.isEmpty()) {
            store(p, data, offset, gaps);
        }
        if (p.first == null || !p.coverage.coversAll(total)) {
            return Optional.empty();
        }
        pending.remove(key);
        return Optional.of(complete(p));
    }

    /** {@return number of bundles under reassembly} */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** {@return payload bytes held in the heap for incomplete bundles} */
    public synchronized long bufferedBytes() {
        return bufferedBytes;
    }

    /** {@return number of incomplete bundles dropped so far to stay within the limits} */
    public synchronized long droppedCount() {
        return dropped;
    }

    /**
     * {@return the IDs (without fragment part) of the bundles under reassembly, least recently updated first}
     */
    public synchronized List<BundleId> pendingIds() {
        return List.copyOf(pending.keySet());
    }

    /**
     * Drops the incomplete bundle with this ID (fragment part ignored); returns whether there was one.
     *
     * @param id the ID of the bundle
     * @return true if an incomplete bundle with that ID was dropped
     */
    public synchronized boolean discard(BundleId id) {
        Pending p = pending.remove(id.withoutFragment());
        if (p != null) {
            release(p);
        }
        return p != null;
    }

    /** Drops every incomplete bundle. */
    public synchronized void discardAll() {
        for (Pending p : pending.values()) {
            release(p);
        }
        pending.clear();
    }

    private Pending open(BundleId key, long total) {
        Pending p = new Pending(key, total);
        if (options.spillDirectory() != null && total > options.spillThreshold()) {
            try {
                Files.createDirectories(options.spillDirectory());
                p.file = Files.createTempFile(options.spillDirectory(), "reassembly-", ".adu");
                p.channel = FileChannel.open(p.file, StandardOpenOption.WRITE);
            } catch (IOException e) {
                if (p.file != null) {
                    deleteQuietly(p.file);
                }
                throw new ReassemblyException(Reason.IO_ERROR, "cannot create a spill file in " + options.spillDirectory()
                        + ": " + e.getMessage(), e);
            }
        } else if (total > Math.min(options.maxBufferedBytes(), ByteSource.MAX_ARRAY_SIZE)) {
            throw new ReassemblyException(Reason.TOO_LARGE, "bundle " + key + " has an ADU of " + total
                    + " bytes, more than the heap budget of " + options.maxBufferedBytes()
                    + " bytes; configure a spill directory for large bundles", null);
        }
        while (pending.size() >= options.maxPending()) {
            dropEldestExcept(null);
        }
        pending.put(key, p);
        return p;
    }

    private void store(Pending p, ByteSource data, long offset, List<long[]> gaps) {
        if (p.channel != null) {
            try {
                for (long[] g : gaps) {
                    writeRange(p.channel, data.slice(g[0] - offset, g[1] - g[0]), g[0]);
                }
            } catch (IOException | RuntimeException e) {
                pending.remove(p.key);
                release(p);
                throw new ReassemblyException(Reason.IO_ERROR, "cannot write fragment data of " + p.key + " to "
                        + p.file + ": " + e.getMessage(), e);
            }
            return;
        }
        long needed = 0;
        for (long[] g : gaps) {
            needed += g[1] - g[0];
        }
        while (bufferedBytes + needed > options.maxBufferedBytes() && dropEldestExcept(p)) {
            // dropped the least recently updated other bundle
        }
        if (bufferedBytes + needed > options.maxBufferedBytes()) {
            pending.remove(p.key);
            release(p);
            throw new ReassemblyException(Reason.BUFFER_FULL, "bundle " + p.key + " needs " + needed
                    + " more bytes but the heap budget of " + options.maxBufferedBytes() + " bytes is used up; dropped it",
                    null);
        }
        try {
            for (long[] g : gaps) {
                int n = (int) (g[1] - g[0]);
                byte[] piece = new byte[n];
                data.read(g[0] - offset, piece, 0, n);
                p.pieces.put(g[0], piece);
                p.heapBytes += n;
                bufferedBytes += n;
            }
        } catch (RuntimeException e) {
            // the coverage already counts these bytes: the bundle cannot complete correctly any more
            pending.remove(p.key);
            release(p);
            throw new ReassemblyException(Reason.IO_ERROR, "cannot read the payload of a fragment of " + p.key + ": "
                    + e.getMessage(), e);
        }
    }

    private static void writeRange(FileChannel channel, ByteSource src, long position) throws IOException {
        if (src.hasArray()) {
            ByteBuffer bb = ByteBuffer.wrap(src.array(), src.arrayOffset(), (int) src.size());
            long pos = position;
            while (bb.hasRemaining()) {
                pos += channel.write(bb, pos);
            }
            return;
        }
        byte[] buf = new byte[64 * 1024];
        long pos = position;
        try (InputStream in = src.openStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    pos += channel.write(bb, pos);
                }
            }
        }
        if (pos != position + src.size()) {
            throw new IOException("fragment payload ended after " + (pos - position) + " of " + src.size() + " bytes");
        }
    }

    private Bundle complete(Pending p) {
        ByteSource payload;
        if (p.channel != null) {
            try {
                p.channel.force(false);
                p.channel.close();
            } catch (IOException e) {
                deleteQuietly(p.file);
                throw new ReassemblyException(Reason.IO_ERROR, "cannot finish the spill file " + p.file + ": "
                        + e.getMessage(), e);
            }
            payload = ByteSource.ofFile(p.file, 0, p.total);
        } else {
            byte[] all = new byte[(int) p.total];
            Iterator<Map.Entry<Long, byte[]>> it = p.pieces.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, byte[]> e = it.next();
                System.arraycopy(e.getValue(), 0, all, (int) (long) e.getKey(), e.getValue().length);
                it.remove();
            }
            bufferedBytes -= p.heapBytes;
            payload = ByteSource.of(all);
        }
        Bundle first = p.first;
        CanonicalBlock payloadBlock = first.payloadBlock();
        return first.withPrimary(first.primary().withFragment(null)).withBlock(payloadBlock.withData(payload));
    }

    /**
     * The fragment's primary block and blocks without its payload data and with private copies of heap-held block
     * data, so that holding it does not keep the fragment's (possibly large) buffer reachable. The copies count
     * towards the heap budget.
     */
    private Bundle detach(Bundle fragment, Pending p) {
        List<CanonicalBlock> blocks = new ArrayList<>(fragment.blocks().size());
        long copied = 0;
        for (CanonicalBlock b : fragment.blocks()) {
            if (b.isPayload()) {
                blocks.add(b.withData(ByteSource.empty()));
            } else if (b.data().hasArray()) {
                blocks.add(b.withData(ByteSource.of(b.data().toByteArray())));
                copied += b.data().size();
            } else {
                blocks.add(b);
            }
        }
        p.heapBytes += copied;
        bufferedBytes += copied;
        return Bundle.of(fragment.primary(), blocks);
    }

    private boolean dropEldestExcept(Pending keep) {
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending victim = it.next();
            if (victim != keep) {
                it.remove();
                release(victim);
                dropped++;
                return true;
            }
        }
        return false;
    }

    private void release(Pending p) {
        bufferedBytes -= p.heapBytes;
        p.heapBytes = 0;
        p.pieces.clear();
        if (p.channel != null) {
            try {
                p.channel.close();
            } catch (IOException e) {
                // the file is deleted next
            }
            deleteQuietly(p.file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to do: a leftover temp file in the spill directory
        }
    }

    /** One bundle under reassembly. */
    private static final class Pending {
        final BundleId key;
        final long total;
        final Coverage coverage = new Coverage();
        final TreeMap<Long, byte[]> pieces = new TreeMap<>();
        Bundle first;
        long heapBytes;
        Path file;
        FileChannel channel;

        Pending(BundleId key, long total) {
            this.key = key;
            this.total = total;
        }
    }

    /** For tests: the pieces of a pending bundle are disjoint and sum to its coverage. */
    synchronized List<Long> pieceSizes(BundleId id) {
        Pending p = pending.get(id.withoutFragment());
        List<Long> sizes = new ArrayList<>();
        if (p != null) {
            p.pieces.values().forEach(b -> sizes.add((long) b.length));
        }
        return sizes;
    }
}
