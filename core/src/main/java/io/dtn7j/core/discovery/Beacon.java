package io.dtn7j.core.discovery;

import io.dtn7j.bundle.EndpointId;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An IPND beacon as dtn7-rs sends it and dtn7zero parses it: version 7, flags, the sender's node ID, a beacon
 * sequence number, an optional service block (the sender's convergence layers with their ports, and tagged
 * services) and an optional beacon period in whole seconds.
 *
 * <p>Create beacons to send with {@link #of}; it sets the flags from the content. A decoded beacon keeps the
 * flags it was received with (reserved bits included).
 *
 * @param flags           {@link #FLAG_EID} | {@link #FLAG_SERVICE_BLOCK} | {@link #FLAG_PERIOD}, plus any received reserved bits
 * @param nodeId          the sender's node ID
 * @param sequenceNumber  0..2³²−1
 * @param clas            advertised convergence layers, in the sender's order (preferred first)
 * @param services        tagged services, in the sender's order
 * @param periodSeconds   the sender's beacon period, when it announces one
 */
public record Beacon(int flags, EndpointId nodeId, long sequenceNumber, List<ClaAdvertisement> clas,
                     List<BeaconService> services, OptionalLong periodSeconds) {

    /** The only beacon version dtn7-rs and dtn7zero use. */
    public static final int VERSION = 7;
    /** Flag: the beacon carries the node EID (always set by dtn7-rs). */
    public static final int FLAG_EID = 0x01;
    /** Flag: the beacon carries a service block. */
    public static final int FLAG_SERVICE_BLOCK = 0x02;
    /** Flag: the beacon carries its beacon period. */
    public static final int FLAG_PERIOD = 0x04;
    /** Largest sequence number; the next one is 0. */
    public static final long MAX_SEQUENCE_NUMBER = 0xFFFF_FFFFL;

    /** Validates ranges and copies the lists. */
    public Beacon {
        if (flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("beacon flags " + flags + " are outside 0..255");
        }
        Objects.requireNonNull(nodeId, "nodeId");
        if (sequenceNumber < 0 || sequenceNumber > MAX_SEQUENCE_NUMBER) {
            throw new IllegalArgumentException("sequence number " + sequenceNumber + " is outside 0..2^32-1");
        }
        clas = List.copyOf(clas);
        services = List.copyOf(services);
        Objects.requireNonNull(periodSeconds, "periodSeconds");
        if (periodSeconds.isPresent() && periodSeconds.getAsLong() < 0) {
            throw new IllegalArgumentException("beacon period must not be negative");
        }
    }

    /**
     * A beacon to send, with flags derived from its content (the EID flag always, the service-block flag when
     * there is at least one CLA or service, the period flag when a period is given).
     *
     * @param nodeId the sending node's ID
     * @param sequenceNumber the beacon's sequence number
     * @param clas the convergence layers to advertise
     * @param services the services to advertise
     * @param periodSeconds the beacon period to announce, or empty for none
     * @return the beacon
     */
    public static Beacon of(EndpointId nodeId, long sequenceNumber, List<ClaAdvertisement> clas,
                            List<BeaconService> services, OptionalLong periodSeconds) {
        int flags = FLAG_EID;
        if (!clas.isEmpty() || !services.isEmpty()) {
            flags |= FLAG_SERVICE_BLOCK;
        }
        if (periodSeconds.isPresent()) {
            flags |= FLAG_PERIOD;
        }
        return new Beacon(flags, nodeId, sequenceNumber, clas, services, periodSeconds);
    }

    /** {@return true when the beacon has a service block to encode} */
    public boolean hasServiceBlock() {
        return !clas.isEmpty() || !services.isEmpty();
    }

    /**
     * The service with that tag, if the beacon carries one.
     *
     * @param tag the service tag
     * @return the service, or empty if the beacon has none with that tag
     */
    public java.util.Optional<BeaconService> service(int tag) {
        return services.stream().filter(s -> s.tag() == tag).findFirst();
    }
}
