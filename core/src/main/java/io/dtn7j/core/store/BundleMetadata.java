package io.dtn7j.core.store;

import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's processing state of one stored bundle. Immutable; the {@code with...} methods return changed
 * copies. A store persists it as an opaque blob ({@link #toBytes()} / {@link #fromBytes(byte[])}) plus, if it
 * likes, indexed columns from {@link #id()}, {@link #destination()}, {@link #expiryDtnMs()} and {@link #size()}.
 *
 * @param id                the bundle's ID (RFC 9171 §4.2.6 source + creation timestamp, plus fragment fields)
 * @param destination       destination EID
 * @param reportTo          report-to EID
 * @param bundleFlags       the primary block's processing control flags (RFC 9171 §4.2.3)
 * @param lifetimeMs        the primary block's lifetime in milliseconds
 * @param expiryDtnMs       DTN time (of this node's clock) at which the bundle expires; {@link Long#MAX_VALUE}
 *                          for never
 * @param receivedAtDtnMs   DTN time at which this node received or created the bundle (for bundle age)
 * @param ageAtReceptionMs  the bundle age block's value at reception, or -1 when the bundle has none
 * @param size              size of the stored encoded bundle in bytes
 * @param constraints       retention constraints (RFC 9171 §5); empty once the bundle may be discarded
 * @param forwardedTo       keys ({@code Peer.key()}, e.g. {@code dtn:node2}, {@code ipn:7}) of nodes known to hold
 *                          the bundle: peers it was forwarded to, and the node it came from
 * @param copies            copies left for spray-and-wait routing, or -1 when not used
 * @param previousNode      node ID of the node the bundle was received from, or {@code null}
 */
public record BundleMetadata(
        BundleId id,
        EndpointId destination,
        EndpointId reportTo,
        long bundleFlags,
        long lifetimeMs,
        long expiryDtnMs,
        long receivedAtDtnMs,
        long ageAtReceptionMs,
        long size,
        Set<Constraint> constraints,
        Set<String> forwardedTo,
        int copies,
        EndpointId previousNode) {

    private static final int FORMAT_VERSION = 1;
    private static final int MAX_STRING = 64 * 1024;

    /** Validates and makes the sets immutable. */
    public BundleMetadata {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(reportTo, "reportTo");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        constraints = constraints.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(Constraint.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(constraints));
        forwardedTo = Set.copyOf(forwardedTo); // no copy when already an immutable set
    }

    /** {@return the bundle's flags as a value} */
    public BundleFlags flags() {
        return BundleFlags.of(bundleFlags);
    }

    /** {@return whether the bundle's payload is an administrative record} */
    public boolean isAdministrativeRecord() {
        return (bundleFlags & BundleFlags.ADMINISTRATIVE_RECORD) != 0;
    }

    /** {@return whether the bundle is a fragment} */
    public boolean isFragment() {
        return (bundleFlags & BundleFlags.IS_FRAGMENT) != 0;
    }

    /**
     * Whether the bundle has expired at DTN time {@code nowDtnMs}.
     *
     * @param nowDtnMs the current time, in milliseconds since the DTN epoch
     * @return true if the bundle's lifetime has run out
     */
    public boolean isExpired(long nowDtnMs) {
        return nowDtnMs >= expiryDtnMs;
    }

    /**
     * Whether the bundle carries retention constraint {@code c}.
     *
     * @param c the constraint
     * @return true if the bundle carries it
     */
    public boolean has(Constraint c) {
        return constraints.contains(c);
    }

    /**
     * A copy with constraint {@code c} added.
     *
     * @param c the constraint to add
     * @return the copy
     */
    public BundleMetadata with(Constraint c) {
        if (constraints.contains(c)) {
            return this;
        }
        EnumSet<Constraint> set = constraints.isEmpty() ? EnumSet.noneOf(Constraint.class) : EnumSet.copyOf(constraints);
        set.add(c);
        return withConstraints(set);
    }

    /**
     * A copy with constraint {@code c} removed.
     *
     * @param c the constraint to remove
     * @return the copy
     */
    public BundleMetadata without(Constraint c) {
        if (!constraints.contains(c)) {
            return this;
        }
        EnumSet<Constraint> set = EnumSet.copyOf(constraints);
        set.remove(c);
        return withConstraints(set);
    }

    /**
     * A copy with the given constraints.
     *
     * @param newConstraints the constraints of the copy
     * @return the copy
     */
    public BundleMetadata withConstraints(Set<Constraint> newConstraints) {
        return new BundleMetadata(id, destination, reportTo, bundleFlags, lifetimeMs, expiryDtnMs, receivedAtDtnMs,
                ageAtReceptionMs, size, newConstraints, forwardedTo, copies, previousNode);
    }

    /**
     * A copy that records node {@code nodeName} as holding the bundle.
     *
     * @param nodeName the node's name
     * @return the copy
     */
    public BundleMetadata withForwardedTo(String nodeName) {
        if (forwardedTo.contains(nodeName)) {
            return this;
        }
        Set<String> set = new LinkedHashSet<>(forwardedTo);
        set.add(nodeName);
        return new BundleMetadata(id, destination, reportTo, bundleFlags, lifetimeMs, expiryDtnMs, receivedAtDtnMs,
                ageAtReceptionMs, size, constraints, set, copies, previousNode);
    }

    /**
     * A copy that no longer records node {@code nodeName} as holding the bundle.
     *
     * @param nodeName the node's name
     * @return the copy
     */
    public BundleMetadata withoutForwardedTo(String nodeName) {
        if (!forwardedTo.contains(nodeName)) {
            return this;
        }
        Set<String> set = new LinkedHashSet<>(forwardedTo);
        set.remove(nodeName);
        return new BundleMetadata(id, destination, reportTo, bundleFlags, lifetimeMs, expiryDtnMs, receivedAtDtnMs,
                ageAtReceptionMs, size, constraints, set, copies, previousNode);
    }

    /**
     * A copy with spray-and-wait copies set.
     *
     * @param newCopies the number of copies this node may still give away
     * @return the copy
     */
    public BundleMetadata withCopies(int newCopies) {
        return new BundleMetadata(id, destination, reportTo, bundleFlags, lifetimeMs, expiryDtnMs, receivedAtDtnMs,
                ageAtReceptionMs, size, constraints, forwardedTo, newCopies, previousNode);
    }

    /**
     * A copy with a different size (e.g. after an unsupported block was discarded).
     *
     * @param newSize the bundle's new encoded size in bytes
     * @return the copy
     */
    public BundleMetadata withSize(long newSize) {
        return new BundleMetadata(id, destination, reportTo, bundleFlags, lifetimeMs, expiryDtnMs, receivedAtDtnMs,
                ageAtReceptionMs, newSize, constraints, forwardedTo, copies, previousNode);
    }

    /**
     * Serializes this record (a small versioned binary format; see {@link #fromBytes(byte[])}).
     *
     * @return the encoded record
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeString(out, id.source().uri());
            out.writeLong(id.creation().dtnTimeMs());
            out.writeLong(id.creation().sequence());
            out.writeBoolean(id.isFragment());
            if (id.isFragment()) {
                out.writeLong(id.fragmentOffset());
                out.writeLong(id.fragmentLength());
            }
            writeString(out, destination.uri());
            writeString(out, reportTo.uri());
            out.writeLong(bundleFlags);
            out.writeLong(lifetimeMs);
            out.writeLong(expiryDtnMs);
            out.writeLong(receivedAtDtnMs);
            out.writeLong(ageAtReceptionMs);
            out.writeLong(size);
            int bits = 0;
            for (Constraint c : constraints) {
                bits |= 1 << c.ordinal();
            }
            out.writeInt(bits);
            out.writeInt(forwardedTo.size());
            for (String node : forwardedTo) {
                writeString(out, node);
            }
            out.writeInt(copies);
            out.writeBoolean(previousNode != null);
            if (previousNode != null) {
                writeString(out, previousNode.uri());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with a ByteArrayOutputStream
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a record written by {@link #toBytes()}.
     *
     *
     * @param data the bytes
     * @throws CorruptMetadataException if the bytes are truncated, of an unknown version or hold an invalid field
     * @return the record
     */
    public static BundleMetadata fromBytes(byte[] data) {
        Objects.requireNonNull(data, "data");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != FORMAT_VERSION) {
                throw new CorruptMetadataException("unknown bundle metadata format version " + version
                        + " (this build reads version " + FORMAT_VERSION + ")");
            }
            EndpointId source = readEid(in, data.length, "source");
            long time = in.readLong();
            long seq = in.readLong();
            boolean fragment = in.readBoolean();
            BundleId id;
            if (fragment) {
                long offset = in.readLong();
                long length = in.readLong();
                if (offset < 0) {
                    throw new CorruptMetadataException("negative fragment offset " + offset);
                }
                id = new BundleId(source, new CreationTimestamp(time, seq), offset, length);
            } else {
                id = BundleId.of(source, new CreationTimestamp(time, seq));
            }
            EndpointId destination = readEid(in, data.length, "destination");
            EndpointId reportTo = readEid(in, data.length, "report-to");
            long flags = in.readLong();
            long lifetime = in.readLong();
            long expiry = in.readLong();
            long received = in.readLong();
            long age = in.readLong();
            long size = in.readLong();
            int bits = in.readInt();
            Constraint[] all = Constraint.values();
            if ((bits & ~((1 << all.length) - 1)) != 0) {
                throw new CorruptMetadataException("unknown retention constraint bits 0x" + Integer.toHexString(bits));
            }
            EnumSet<Constraint> constraints = EnumSet.noneOf(Constraint.class);
            for (Constraint c : all) {
                if ((bits & (1 << c.ordinal())) != 0) {
                    constraints.add(c);
                }
            }
            int n = in.readInt();
            if (n < 0 || n > data.length) {
                throw new CorruptMetadataException("invalid forwarded-to count " + n);
            }
            Set<String> forwardedTo = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                forwardedTo.add(readString(in, data.length, "forwarded-to node"));
            }
            int copies = in.readInt();
            EndpointId previous = in.readBoolean() ? readEid(in, data.length, "previous node") : null;
            if (in.available() > 0) {
                throw new CorruptMetadataException(in.available() + " trailing bytes after bundle metadata");
            }
            return new BundleMetadata(id, destination, reportTo, flags, lifetime, expiry, received, age, size,
                    constraints, forwardedTo, copies, previous);
        } catch (EOFException e) {
            throw new CorruptMetadataException("bundle metadata truncated (" + data.length + " bytes)", e);
        } catch (IOException e) {
            throw new CorruptMetadataException("unreadable bundle metadata: " + e.getMessage(), e);
        } catch (CorruptMetadataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptMetadataException("invalid bundle metadata: " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, int total, String what) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_STRING || len > total) {
            throw new CorruptMetadataException("invalid length " + len + " of " + what);
        }
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new EOFException();
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static EndpointId readEid(DataInputStream in, int total, String what) throws IOException {
        String uri = readString(in, total, what);
        try {
            return EndpointId.parse(uri);
        } catch (RuntimeException e) {
            throw new CorruptMetadataException("invalid " + what + " endpoint ID '" + uri + "': " + e.getMessage(), e);
        }
    }
}
