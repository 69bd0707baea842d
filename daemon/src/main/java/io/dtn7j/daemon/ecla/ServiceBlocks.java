package io.dtn7j.daemon.ecla;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.EidCodec;
import io.dtn7j.core.discovery.Beacon;
import io.dtn7j.core.discovery.BeaconCodec;
import io.dtn7j.core.discovery.BeaconDecodeException;
import io.dtn7j.core.discovery.BeaconService;
import io.dtn7j.core.discovery.ClaAdvertisement;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The IPND service block {@code [clas, services]} on its own (dtn7-compat.md §7.3), as the ECLA's {@code Beacon}
 * carries it. It is encoded and decoded by the IPND beacon codec: the block is the fifth element of a beacon, so a
 * beacon is built around it (and taken apart again); the codec's limits and typed errors apply unchanged.
 */
final class ServiceBlocks {
    private static final EndpointId PLACEHOLDER = EndpointId.parse("dtn://ecla/");
    /** {@code 0x85 0x07 0x03}: a 5-element beacon of version 7 with the EID and service-block flags. */
    private static final byte[] HEAD = {(byte) 0x85, 0x07, 0x03};

    /** The CLAs and services of a decoded block. */
    record Content(List<ClaAdvertisement> clas, List<BeaconService> services) {
    }

    private ServiceBlocks() {
    }

    /**
     * Encodes a service block as dtn7-rs does (service values as arrays of integers); empty → {@code []}.
     *
     * @param clas the CLAs with their ports
     * @param services the services
     * @return the CBOR bytes
     */
    static byte[] encode(List<ClaAdvertisement> clas, List<BeaconService> services) {
        if (clas.isEmpty() && services.isEmpty()) {
            return new byte[] {(byte) 0x80};
        }
        byte[] beacon = BeaconCodec.encode(Beacon.of(PLACEHOLDER, 0, clas, services, OptionalLong.empty()));
        int start = HEAD.length + EidCodec.encode(PLACEHOLDER).length + 1;
        return Arrays.copyOfRange(beacon, start, beacon.length);
    }

    /**
     * Decodes a service block.
     *
     * @param block the CBOR bytes
     * @return its CLAs and services
     * @throws BeaconDecodeException when the bytes are not a service block
     */
    static Content decode(byte[] block) throws BeaconDecodeException {
        if (block.length == 0 || (block[0] & 0xe0) != 0x80) {
            throw new BeaconDecodeException(BeaconDecodeException.Reason.INVALID_SERVICE_BLOCK,
                    "a service block is a CBOR array [clas, services]");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(block.length + 20);
        b.writeBytes(HEAD);
        b.writeBytes(EidCodec.encode(PLACEHOLDER));
        b.write(0x00);
        b.writeBytes(block);
        byte[] beacon = b.toByteArray();
        Beacon decoded = BeaconCodec.decode(beacon, 0, beacon.length, BeaconCodec.DEFAULT_MAX_BEACON_SIZE);
        return new Content(decoded.clas(), decoded.services());
    }
}
