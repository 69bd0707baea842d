package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.DtnNode;
import io.dtn7j.core.api.KnownPeer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * IPND neighbour discovery restricted to chosen network interfaces (an allow-list): beacons go out of, and are
 * accepted from, only those interfaces. Start it on two machines and watch them find each other.
 *
 * <p>Arguments: the node name (default {@code node1}) and the interface names to allow (e.g. {@code eth0 lo});
 * none means every interface. {@code java.net.NetworkInterface} lists the names (on Linux: {@code ip link}).
 */
public final class IpndAllowList {

    private IpndAllowList() {
    }

    /**
     * Runs the example.
     *
     * @param args optionally the node name (default {@code node1}), then the names of the interfaces to allow
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        String name = args.length > 0 ? args[0] : "node1";
        String[] interfaces = args.length > 1 ? List.of(args).subList(1, args.length).toArray(String[]::new)
                : new String[0];

        Dtn.setup(DtnNode.builder("dtn://" + name + "/").discovery(true).discoveryInterfaces(interfaces));
        System.out.println("discovering on " + (interfaces.length == 0 ? "all interfaces" : String.join(", ", interfaces)));

        Dtn.startBackgroundUpdateThread();

        Set<String> known = new HashSet<>();
        long rounds = Rounds.count();
        for (long i = 0; i < rounds; i++) {
            for (KnownPeer peer : Dtn.discover()) {
                if (known.add(peer.nodeId())) {
                    System.out.println("discovered " + peer.nodeId() + " at " + String.join(", ", peer.addresses()));
                }
            }
            Thread.sleep(Rounds.interval(1000));
        }
        Dtn.shutdown();
    }
}
