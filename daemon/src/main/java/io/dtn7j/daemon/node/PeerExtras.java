package io.dtn7j.daemon.node;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TransmissionException;
import io.dtn7j.core.discovery.BeaconService;
import io.dtn7j.core.discovery.DiscoveredPeer;
import io.dtn7j.core.discovery.IpndService;
import io.dtn7j.core.peer.Peer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code /status/peers} shows beyond the agent's peer table: the services a peer advertised (IPND beacons, ECLA
 * beacons) and how many transmissions to it failed (counted per address by the {@link MeteredConvergenceLayer}s).
 *
 * <p>Services are rendered as dtn7-rs's {@code convert_services} does: tag 63 (text) and 255 (address) as UTF-8, 127
 * (geo location) as {@code "<lat> <lon>"} from two big-endian floats, 191 (battery) as a signed decimal. dtnd drops
 * other tags (and panics on a malformed known one); dtn7j shows any other or malformed value as UTF-8 when it is valid
 * UTF-8, else as lowercase hex.
 */
public final class PeerExtras implements TransferListener {
    private final Map<ClaAddress, LongAdder> failsByAddress = new ConcurrentHashMap<>();
    private final Map<String, List<BeaconService>> beaconServices = new ConcurrentHashMap<>();
    private volatile IpndService ipnd;

    /** Creates an empty registry. */
    public PeerExtras() {
    }

    /**
     * Uses the services of the peers {@code ipnd} currently knows.
     *
     * @param service the running IPND service, or null
     */
    public void discovery(IpndService service) {
        this.ipnd = service;
    }

    /**
     * Remembers services a peer advertised outside IPND (an ECLA beacon).
     *
     * @param nodeId the peer
     * @param services what it advertised
     */
    public void servicesSeen(EndpointId nodeId, List<BeaconService> services) {
        beaconServices.put(Peer.keyOf(nodeId), List.copyOf(services));
    }

    @Override
    public void failed(String cla, ClaAddress to, OutgoingBundle bundle, TransmissionException error) {
        failsByAddress.computeIfAbsent(to, a -> new LongAdder()).increment();
    }

    /**
     * Failed transmissions to any of the peer's addresses since the daemon started.
     *
     * @param peer the peer
     * @return the count
     */
    public int fails(Peer peer) {
        long n = 0;
        for (ClaAddress a : peer.addresses()) {
            LongAdder f = failsByAddress.get(a);
            if (f != null) {
                n += f.sum();
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /**
     * The services the peer advertised, as dtnd shows them (tag → text).
     *
     * @param nodeId the peer
     * @return tag → value, sorted by tag
     */
    public Map<String, String> services(EndpointId nodeId) {
        List<BeaconService> list = null;
        IpndService d = ipnd;
        if (d != null) {
            String key = Peer.keyOf(nodeId);
            for (DiscoveredPeer p : d.peers()) {
                if (Peer.keyOf(p.nodeId()).equals(key)) {
                    list = p.lastBeacon().services();
                    break;
                }
            }
        }
        if (list == null) {
            list = beaconServices.get(Peer.keyOf(nodeId));
        }
        Map<String, String> out = new TreeMap<>();
        if (list != null) {
            for (BeaconService s : list) {
                out.put(Integer.toString(s.tag()), render(s.tag(), s.value()));
            }
        }
        return out;
    }

    /**
     * One service value as dtn7-rs's {@code convert_services} renders it.
     *
     * @param tag the service tag
     * @param value its bytes
     * @return the text
     */
    static String render(int tag, byte[] value) {
        switch (tag) {
            case BeaconService.TAG_GEO_LOCATION -> {
                if (value.length == 8) {
                    ByteBuffer b = ByteBuffer.wrap(value);
                    return rustFloat(b.getFloat()) + " " + rustFloat(b.getFloat());
                }
            }
            case BeaconService.TAG_BATTERY -> {
                if (value.length == 1) {
                    return Byte.toString(value[0]);
                }
            }
            default -> {
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return HexFormat.of().formatHex(value);
        }
    }

    /** Rust prints an integral f32 without ".0". */
    private static String rustFloat(float f) {
        if (f == Math.rint(f) && !Float.isInfinite(f) && Math.abs(f) < 1e15) {
            return Long.toString((long) f);
        }
        return Float.toString(f);
    }
}
