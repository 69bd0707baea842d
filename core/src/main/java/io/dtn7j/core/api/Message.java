package io.dtn7j.core.api;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.PrimaryBlock;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message delivered to an endpoint: the payload of one bundle with its addresses.
 *
 * <p>The payload array is copied on the way in and out, so a {@code Message} is immutable.
 *
 * @param payload      the bundle's payload
 * @param source       the source endpoint ID as text ({@code dtn:none} for anonymous messages)
 * @param destination  the destination endpoint ID as text
 * @param primaryBlock the bundle's primary block (lifetime, creation timestamp, flags, report-to)
 * @param bundleId     the bundle's ID, e.g. {@code dtn://node1/ping-797000000000-0}
 */
public record Message(byte[] payload, String source, String destination, PrimaryBlock primaryBlock,
                      BundleId bundleId) {

    /** Checks that nothing is null and copies the payload. */
    public Message {
        payload = Objects.requireNonNull(payload, "payload").clone();
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(primaryBlock, "primaryBlock");
        Objects.requireNonNull(bundleId, "bundleId");
    }

    /**
     * A copy of the payload.
     *
     * @return payload
     */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload decoded as UTF-8 text (malformed bytes become U+FFFD).
     *
     * @return text
     */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The payload's length in bytes.
     *
     * @return size
     */
    public int size() {
        return payload.length;
    }

    /**
     * True when the sender asked to stay anonymous (its source is {@code dtn:none}).
     *
     * @return isAnonymous
     */
    public boolean isAnonymous() {
        return primaryBlock.source().isNone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && Arrays.equals(payload, m.payload) && source.equals(m.source)
                && destination.equals(m.destination) && primaryBlock.equals(m.primaryBlock)
                && bundleId.equals(m.bundleId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(payload), source, destination, bundleId);
    }

    /** {@code Message[from dtn://a/x to dtn://b/y, 5 bytes: "hello"]}; long or binary payloads are abbreviated. */
    @Override
    public String toString() {
        return "Message[from " + source + " to " + destination + ", " + payload.length + " bytes: "
                + preview(payload) + "]";
    }

    static String preview(byte[] bytes) {
        int n = Math.min(bytes.length, 64);
        boolean printable = true;
        for (int i = 0; i < n && printable; i++) {
            int b = bytes[i] & 0xFF;
            printable = b >= 0x20 && b != 0x7F || b == '\n' || b == '\r' || b == '\t' || b >= 0x80;
        }
        if (printable) {
            String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
            return "\"" + s + (bytes.length > n ? "…" : "") + "\"";
        }
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < Math.min(n, 32); i++) {
            hex.append(String.format("%02x", bytes[i]));
        }
        return bytes.length > 32 ? hex.append("…").toString() : hex.toString();
    }
}
