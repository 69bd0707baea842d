package io.dtn7j.core.cla;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClaContext} for CLA tests: decodes each received bundle (small ones) or hashes it (large ones),
 * remembers IDs, and answers {@link #hasBundle} from them.
 */
public final class TestClaContext implements ClaContext {

    /** One received bundle. */
    public record Received(BundleId id, long size, String sha256, byte[] bytes, ClaPeer from, boolean spooled) {
    }

    private final EndpointId nodeId;
    private final Path spool;
    private final long decodeLimit;
    public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    public final Set<BundleId> known = ConcurrentHashMap.newKeySet();
    public final List<ClaPeer> linksUp = new CopyOnWriteArrayList<>();
    public final List<ClaPeer> linksDown = new CopyOnWriteArrayList<>();
    public final List<String> rejected = new CopyOnWriteArrayList<>();
    /** Delay each reception (to simulate a slow store). */
    public volatile long receiveDelayMs;

    public TestClaContext(String nodeId, Path spool) {
        this(nodeId, spool, 8 << 20);
    }

    /** @param decodeLimit bundles up to this size are decoded and kept; larger ones are only hashed */
    public TestClaContext(String nodeId, Path spool, long decodeLimit) {
        this.nodeId = EndpointId.parse(nodeId);
        this.spool = spool;
        this.decodeLimit = decodeLimit;
    }

    @Override
    public EndpointId nodeId() {
        return nodeId;
    }

    @Override
    public ReceptionResult bundleReceived(ByteSource encoded, ClaPeer from) {
        try {
            if (receiveDelayMs > 0) {
                Thread.sleep(receiveDelayMs);
            }
            boolean spooled = !encoded.isInHeap();
            if (encoded.size() <= decodeLimit) {
                byte[] bytes = encoded.toByteArray();
                // the test bundles are simple: an indefinite array with a readable primary block, ending in 0xff
                Optional<BundleId> id = BundleIdPeek.peek(bytes);
                if (id.isEmpty() || bytes[bytes.length - 1] != (byte) 0xff) {
                    rejected.add("not a bundle: " + bytes.length + " bytes");
                    return new ReceptionResult.Rejected("not a bundle");
                }
                if (!known.add(id.get())) {
                    return new ReceptionResult.Duplicate();
                }
                received.add(new Received(id.get(), bytes.length, sha256(ByteSource.of(bytes)), bytes, from, spooled));
            } else {
                received.add(new Received(null, encoded.size(), sha256(encoded), null, from, spooled));
            }
            return new ReceptionResult.Accepted();
        } catch (IOException | InterruptedException e) {
            return new ReceptionResult.Rejected(e.toString());
        }
    }

    @Override
    public boolean hasBundle(BundleId id) {
        return known.contains(id);
    }

    @Override
    public void linkUp(ClaPeer peer) {
        linksUp.add(peer);
    }

    @Override
    public void linkDown(ClaPeer peer) {
        linksDown.add(peer);
    }

    @Override
    public Path spoolDirectory() {
        return spool;
    }

    /** The next received bundle, failing after {@code timeout}. */
    public Received take(Duration timeout) throws InterruptedException {
        Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no bundle received within " + timeout);
        }
        return r;
    }

    /** Asserts that {@code dir} becomes empty (spool files deleted) within 3 s. */
    public static void assertEventuallyEmpty(Path dir) throws IOException, InterruptedException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (true) {
            List<Path> left;
            try (var files = java.nio.file.Files.list(dir)) {
                left = files.toList();
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("spool files not deleted: " + left);
            }
            Thread.sleep(20);
        }
    }

    /** SHA-256 of a byte source, streamed. */
    public static String sha256(ByteSource source) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = source.openStream()) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) > 0) {
                    md.update(buf, 0, r);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
