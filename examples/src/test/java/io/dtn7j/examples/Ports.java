package io.dtn7j.examples;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Free UDP ports for child JVMs that must know each other's discovery port before they start. */
final class Ports {

    private Ports() {
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /**
     * System properties for a node that finds its peer by IPND over loopback: it listens for beacons on
     * {@code ownPort}, sends them to {@code 127.0.0.1:peerPort} every 200 ms, and uses an ephemeral MTCP port.
     */
    static java.util.List<String> discoveryOnLoopback(int ownPort, int peerPort, String... more) {
        java.util.List<String> props = new java.util.ArrayList<>(java.util.List.of("dtn7j.mtcp.port=0",
                "dtn7j.discovery=true", "dtn7j.discovery.port=" + ownPort,
                "dtn7j.discovery.destinations=127.0.0.1:" + peerPort, "dtn7j.discovery.interval=200"));
        props.addAll(java.util.List.of(more));
        return props;
    }
}
