package io.dtn7j.core.routing;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.core.peer.Peer;
import io.dtn7j.core.store.BundleMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Binary spray and wait (Spyropoulos et al.): a bundle created here starts with {@code copies} copies (default 7,
 * as dtn7-rs's {@code num_copies}). While a node holds n &ge; 2 copies, it gives floor(n/2) to a peer that does not
 * have the bundle and keeps the rest; with one copy left it waits until it meets the destination's node (direct
 * delivery, after which the bundle leaves the store).
 *
 * <p>The number of copies handed over travels in an extension block of type {@value #COPIES_BLOCK_TYPE} (a
 * private-use type, RFC 9171 §9.1; its data is a CBOR unsigned integer; block flags 0, so nodes that do not know it
 * forward it unchanged). A received bundle without that block holds one copy (dtn7-rs's behaviour).
 */
public final class SprayAndWaitRouter implements Router {

    /** Block type carrying the number of copies given to the receiving node. */
    public static final long COPIES_BLOCK_TYPE = 192;

    /** dtn7-rs's default number of copies. */
    public static final int DEFAULT_COPIES = 7;

    private final int copies;

    /**
     * A router starting bundles created here with {@code copies} copies (at least 1).
     *
     * @param copies the number of copies
     */
    public SprayAndWaitRouter(int copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("spray and wait needs at least 1 copy, got " + copies);
        }
        this.copies = copies;
    }

    /** A router with {@link #DEFAULT_COPIES}. */
    public SprayAndWaitRouter() {
        this(DEFAULT_COPIES);
    }

    /** {@return copies given to bundles created here} */
    public int initialCopies() {
        return copies;
    }

    @Override
    public String name() {
        return "sprayandwait";
    }

    @Override
    public Set<Long> blockTypes() {
        return Set.of(COPIES_BLOCK_TYPE);
    }

    @Override
    public BundleMetadata accepted(BundleMetadata metadata, Bundle bundle, boolean createdHere) {
        if (createdHere) {
            return metadata.withCopies(copies);
        }
        long received = SprayBlocks.copies(bundle);
        return metadata.withCopies((int) Math.max(1, Math.min(Integer.MAX_VALUE, received)));
    }

    @Override
    public RoutingDecision route(BundleMetadata bundle, List<Peer> peers) {
        for (Peer p : peers) {
            if (p.hosts(bundle.destination())) {
                return bundle.forwardedTo().contains(p.key())
                        ? RoutingDecision.waitForContact()
                        : new RoutingDecision(List.of(p), bundle.destination().isSingleton());
            }
        }
        int n = Math.max(1, bundle.copies());
        List<Peer> hops = new ArrayList<>();
        for (Peer p : peers) {
            if (n < 2) {
                break;
            }
            if (!bundle.forwardedTo().contains(p.key())) {
                hops.add(p);
                n -= n / 2;
            }
        }
        return hops.isEmpty() ? RoutingDecision.waitForContact() : new RoutingDecision(hops, false);
    }

    @Override
    public Bundle prepare(Bundle outgoing, BundleMetadata metadata, Peer nextHop) {
        if (nextHop.hosts(metadata.destination())) {
            return SprayBlocks.withCopies(outgoing, 1);
        }
        int give = Math.max(1, metadata.copies()) / 2;
        return give == 0 ? null : SprayBlocks.withCopies(outgoing, give);
    }

    @Override
    public BundleMetadata forwarded(BundleMetadata metadata, Peer peer) {
        if (peer.hosts(metadata.destination())) {
            return metadata;
        }
        int n = Math.max(1, metadata.copies());
        return metadata.withCopies(n - n / 2);
    }
}
