package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.discovery.BeaconDecodeException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of dtn7-go's own discovery message (dtn7-go 0.10 neither sends nor reads IPND): "node {@code nodeId}
 * has a convergence layer of type {@code claType} on {@code port}", reachable at the address the datagram came
 * from. A datagram is a CBOR array of such entries, each the array {@code [claType, nodeId, port]} with the node ID
 * in its RFC 9171 form ({@code [1, "//node/"]} or {@code [2, [n, 0]]}). dtn7-go multicasts it every 2 s to
 * 224.23.23.23:35039 ({@link Dtn7GoDiscovery}).
 *
 * @param claType dtn7-go's number for the CLA: {@link #TCPCLV4} 0, {@link #MTCP} 10, {@link #QUICL} 20; other
 *                numbers are kept but name no CLA of dtn7j
 * @param nodeId  the announcing node; never {@code dtn:none}
 * @param port    the CLA's port, 0..65535
 */
public record Dtn7GoAnnouncement(long claType, EndpointId nodeId, int port) {

    /** dtn7-go's CLA number for TCPCLv4 (dtn7j's {@code tcp}; dtn7-go 0.10 no longer has one). */
    public static final long TCPCLV4 = 0;
    /** dtn7-go's CLA number for MTCP (dtn7j's {@code mtcp}). */
    public static final long MTCP = 10;
    /** dtn7-go's CLA number for its QUIC convergence layer (dtn7j has none). */
    public static final long QUICL = 20;
    /** Largest datagram {@link #decode} reads; dtn7-go's messages are a few dozen bytes per node. */
    public static final int MAX_DATAGRAM = 8 * 1024;

    /** Validates the fields. */
    public Dtn7GoAnnouncement {
        if (claType < 0 || claType > 0xffff_ffffL) {
            throw new IllegalArgumentException("CLA type " + claType + " is outside 0..2^32-1");
        }
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isNone()) {
            throw new IllegalArgumentException("a node cannot announce itself as dtn:none");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    /**
     * The announcement of an MTCP listener.
     *
     * @param nodeId the announcing node
     * @param port   its MTCP port
     * @return the announcement
     */
    public static Dtn7GoAnnouncement mtcp(EndpointId nodeId, int port) {
        return new Dtn7GoAnnouncement(MTCP, nodeId, port);
    }

    /** {@return dtn7j's name of the announced CLA ({@code mtcp}, {@code tcp}), or empty when dtn7j has none such} */
    public Optional<String> claName() {
        if (claType == MTCP) {
            return Optional.of("mtcp");
        }
        if (claType == TCPCLV4) {
            return Optional.of("tcp");
        }
        return Optional.empty();
    }

    /**
     * dtn7-go's CLA number for a dtn7j CLA name.
     *
     * @param claName a dtn7j convergence layer name
     * @return {@link #MTCP} for {@code mtcp}, {@link #TCPCLV4} for {@code tcp}, empty otherwise
     */
    public static Optional<Long> claType(String claName) {
        return switch (claName) {
            case "mtcp" -> Optional.of(MTCP);
            case "tcp" -> Optional.of(TCPCLV4);
            default -> Optional.empty();
        };
    }

    /**
     * Encodes a discovery message: the CBOR array of the announcements, as dtn7-go writes it.
     *
     * @param announcements the entries, in order (may be empty)
     * @return the datagram's bytes
     */
    public static byte[] encode(List<Dtn7GoAnnouncement> announcements) {
        BeaconCodec.Writer w = new BeaconCodec.Writer();
        w.head(4, announcements.size());
        for (Dtn7GoAnnouncement a : announcements) {
            w.head(4, 3);
            w.head(0, a.claType());
            BeaconCodec.writeEid(w, a.nodeId());
            w.head(0, a.port());
        }
        return w.toByteArray();
    }

    /**
     * Decodes a discovery message. Lengths in the CBOR are never trusted beyond the datagram.
     *
     * @param datagram the received bytes
     * @param offset   where they start
     * @param length   how many there are
     * @return the entries, in order
     * @throws BeaconDecodeException if the bytes are not a well-formed array of {@code [type, node ID, port]}
     *                               entries, or longer than {@link #MAX_DATAGRAM}
     */
    public static List<Dtn7GoAnnouncement> decode(byte[] datagram, int offset, int length) throws BeaconDecodeException {
        if (length > MAX_DATAGRAM) {
            throw new BeaconDecodeException(Reason.TOO_LARGE, length + " bytes, more than the " + MAX_DATAGRAM
                    + " a dtn7-go discovery message may have");
        }
        CborValue root = BoundedCborParser.parseSingle(datagram, offset, length, 4);
        if (!(root instanceof CborValue.Array entries)) {
            throw new BeaconDecodeException(Reason.NOT_A_BEACON, "a dtn7-go discovery message is a CBOR array, found "
                    + root.getClass().getSimpleName());
        }
        List<Dtn7GoAnnouncement> out = new ArrayList<>(entries.items().size());
        for (int i = 0; i < entries.items().size(); i++) {
            if (!(entries.items().get(i) instanceof CborValue.Array e) || e.items().size() != 3) {
                throw new BeaconDecodeException(Reason.NOT_A_BEACON, "announcement " + i
                        + " is not an array [CLA type, node ID, port]");
            }
            if (!(e.items().get(0) instanceof CborValue.UInt type) || !type.fitsIn(0xffff_ffffL)) {
                throw new BeaconDecodeException(Reason.VALUE_OUT_OF_RANGE, "announcement " + i
                        + ": the CLA type is not an unsigned 32-bit integer");
            }
            if (!(e.items().get(1) instanceof CborValue.Array eid) || !BeaconCodec.isEidShape(eid)) {
                throw new BeaconDecodeException(Reason.INVALID_EID, "announcement " + i
                        + ": the node ID is not [scheme, SSP]");
            }
            EndpointId nodeId = BeaconCodec.readEid(eid);
            if (!(e.items().get(2) instanceof CborValue.UInt port) || !port.fitsIn(65535)) {
                throw new BeaconDecodeException(Reason.VALUE_OUT_OF_RANGE, "announcement " + i
                        + ": the port is not an integer 0..65535");
            }
            out.add(new Dtn7GoAnnouncement(type.value(), nodeId, (int) port.value()));
        }
        return out;
    }
}
