package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.DtnEndpointId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.InvalidEndpointIdException;
import io.dtn7j.bundle.IpnEndpointId;
import io.dtn7j.bundle.cbor.CborReader;
import io.dtn7j.bundle.cbor.CborWriter;

/**
 * CBOR encoding of endpoint IDs (RFC 9171 §4.2.5.1, RFC 9758): {@code [1, 0]} for {@code dtn:none},
 * {@code [1, "//node/demux"]}, {@code [2, [node, service]]} and {@code [2, [allocator, node, service]]}.
 */
public final class EidCodec {
    private EidCodec() {}

    /**
     * Recently decoded dtn EIDs by their SSP bytes: real traffic repeats a few EIDs, and a hit saves
     * building and validating the string. Entries are immutable; races only cost a miss.
     */
    private static final int CACHE_SIZE = 512;
    private static final int CACHED_MAX = 96;
    private static final java.util.concurrent.atomic.AtomicReferenceArray<CachedEid> CACHE =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(CACHE_SIZE);

    private record CachedEid(byte[] ssp, int hash, DtnEndpointId eid) {}

    /**
     * Writes {@code eid}. A three-element ipn EID is written in three-element form.
     *
     * @param w the writer
     * @param eid the endpoint ID
     */
    public static void write(CborWriter w, EndpointId eid) {
        w.writeArrayHeader(2);
        switch (eid) {
            case DtnEndpointId d -> {
                w.writeUnsigned(EndpointId.SCHEME_DTN);
                if (d.isNone()) {
                    w.writeUnsigned(0);
                } else {
                    w.writeTextString(d.ssp());
                }
            }
            case IpnEndpointId i -> {
                w.writeUnsigned(EndpointId.SCHEME_IPN);
                if (i.threeElementForm()) {
                    w.writeArrayHeader(3).writeUnsigned(i.allocatorId());
                } else {
                    w.writeArrayHeader(2);
                }
                w.writeUnsigned(i.nodeNumber()).writeUnsigned(i.serviceNumber());
            }
        }
    }

    /**
     * Encoded size of {@code eid}.
     *
     * @param eid the endpoint ID
     * @return its size in bytes once encoded
     */
    public static int encodedSize(EndpointId eid) {
        return switch (eid) {
            case DtnEndpointId d -> 2 + (d.isNone() ? 1 : CborWriter.textSize(d.ssp()));
            case IpnEndpointId i -> 3 + (i.threeElementForm() ? CborWriter.headSize(i.allocatorId()) : 0)
                    + CborWriter.headSize(i.nodeNumber()) + CborWriter.headSize(i.serviceNumber());
        };
    }

    /**
     * The encoding of {@code eid} as a new array.
     *
     * @param eid the endpoint ID
     * @return a new array holding its encoding
     */
    public static byte[] encode(EndpointId eid) {
        CborWriter w = new CborWriter(encodedSize(eid));
        write(w, eid);
        return w.toByteArray();
    }

    /**
     * Reads an EID.
     *
     *
     * @param lenient also accept the non-canonical forms seen in the wild: an indefinite-length EID array
     *                and {@code [1, "none"]} (both read as the EID they spell)
     * @param r the reader positioned at the EID
     * @param what names the EID in error messages, e.g. "destination"
     * @throws BundleDecodeException with reason {@link Reason#INVALID_EID} for an unknown scheme or a bad
     *         SSP, {@link Reason#NON_CANONICAL_CBOR} for a lenient form when not lenient
     * @return the endpoint ID
     */
    public static EndpointId read(CborReader r, String what, boolean lenient) {
        try {
            return readEid(r, what, lenient);
        } catch (BundleDecodeException e) {
            throw e.detail().startsWith(what) ? e : e.withContext(what);
        }
    }

    private static EndpointId readEid(CborReader r, String what, boolean lenient) {
        long start = r.position();
        long n = r.readArrayHeader(what, true);
        boolean indefinite = n < 0;
        if (indefinite && !lenient) {
            throw new BundleDecodeException(Reason.NON_CANONICAL_CBOR, what + ": EID is an indefinite-length array", start);
        }
        if (!indefinite && n != 2) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, what + ": EID array has " + n + " elements, expected 2", start);
        }
        long scheme = r.readUnsigned("EID scheme");
        EndpointId eid;
        if (scheme == EndpointId.SCHEME_DTN) {
            eid = readDtnSsp(r, what, lenient, start);
        } else if (scheme == EndpointId.SCHEME_IPN) {
            eid = readIpnSsp(r, what, start);
        } else {
            throw new BundleDecodeException(Reason.INVALID_EID, what + ": unknown URI scheme code "
                    + Long.toUnsignedString(scheme) + " (known: 1 dtn, 2 ipn)", start);
        }
        if (indefinite) {
            r.readBreak();
        }
        return eid;
    }

    private static EndpointId readDtnSsp(CborReader r, String what, boolean lenient, long start) {
        int major = r.peekMajorType();
        if (major == CborReader.UNSIGNED) {
            long v = r.readUnsigned("dtn SSP");
            if (v != 0) {
                throw new BundleDecodeException(Reason.INVALID_EID, what + ": dtn SSP integer must be 0 (dtn:none), not "
                        + Long.toUnsignedString(v), start);
            }
            return EndpointId.NONE;
        }
        if (major != CborReader.TEXT) {
            throw new BundleDecodeException(Reason.INVALID_EID, what + ": dtn SSP must be a text string or 0", r.position());
        }
        long textAt = r.position();
        int len = r.readTextStringHeader("dtn SSP");
        byte[] arr = r.array();
        int idx = arr != null ? r.arrayIndex(r.position()) : -1;
        int hash = 0;
        if (arr != null && len <= CACHED_MAX) {
            for (int i = idx, e = idx + len; i < e; i++) {
                hash = 31 * hash + arr[i];
            }
            CachedEid c = CACHE.get(hash & (CACHE_SIZE - 1));
            if (c != null && c.hash == hash && java.util.Arrays.equals(c.ssp, 0, c.ssp.length, arr, idx, idx + len)) {
                r.skipBytes(len);
                return c.eid;
            }
        }
        String ssp = r.readTextContent("dtn SSP", len, textAt);
        if (ssp.equals("none")) {
            if (!lenient) {
                throw new BundleDecodeException(Reason.NON_CANONICAL_CBOR,
                        what + ": dtn:none must be encoded as [1, 0], not [1, \"none\"]", start);
            }
            return EndpointId.NONE;
        }
        try {
            DtnEndpointId eid = new DtnEndpointId(ssp);
            if (arr != null && len <= CACHED_MAX) {
                // a valid dtn SSP is ASCII, so its bytes are its characters
                CACHE.set(hash & (CACHE_SIZE - 1), new CachedEid(java.util.Arrays.copyOfRange(arr, idx, idx + len), hash, eid));
            }
            return eid;
        } catch (InvalidEndpointIdException e) {
            throw new BundleDecodeException(Reason.INVALID_EID, what + ": " + e.getMessage(), start);
        }
    }

    private static EndpointId readIpnSsp(CborReader r, String what, long start) {
        if (r.peekMajorType() != CborReader.ARRAY) {
            throw new BundleDecodeException(Reason.INVALID_EID, what + ": ipn SSP must be an array of 2 or 3 unsigned integers",
                    r.position());
        }
        long n = r.readArrayHeader("ipn SSP", false);
        if (n != 2 && n != 3) {
            throw new BundleDecodeException(Reason.INVALID_EID, what + ": ipn SSP array has " + n
                    + " elements, expected 2 or 3", start);
        }
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            if (r.peekMajorType() != CborReader.UNSIGNED) {
                throw new BundleDecodeException(Reason.INVALID_EID, what + ": ipn SSP element " + i + " is not an unsigned integer",
                        r.position());
            }
            v[i] = r.readUnsigned("ipn number");
        }
        try {
            return n == 2 ? new IpnEndpointId(0, v[0], v[1], false) : new IpnEndpointId(v[0], v[1], v[2], true);
        } catch (InvalidEndpointIdException e) {
            throw new BundleDecodeException(Reason.INVALID_EID, what + ": " + e.getMessage(), start);
        }
    }
}
