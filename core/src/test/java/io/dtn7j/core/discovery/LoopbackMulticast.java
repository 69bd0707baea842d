package io.dtn7j.core.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;

/**
 * Finds out whether IPv4 multicast works over this host's loopback interface, or multicast of either family over a
 * given interface: joins a group on it, sends one datagram with IP_MULTICAST_IF = that interface and
 * IP_MULTICAST_LOOP on, and waits up to a second for it. Linux's {@code lo} has no MULTICAST flag but usually passes
 * for IPv4; a sandbox may not.
 */
public final class LoopbackMulticast {
    private LoopbackMulticast() {
    }

    /** {@return the loopback interface with an IPv4 address, if any} */
    public static Optional<NetworkInterface> loopbackInterface() throws SocketException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isLoopback() && ni.isUp()
                    && Collections.list(ni.getInetAddresses()).stream().anyMatch(a -> a instanceof java.net.Inet4Address)) {
                return Optional.of(ni);
            }
        }
        return Optional.empty();
    }

    /**
     * Probes multicast to {@code group} over the loopback interface.
     *
     * @param group an IPv4 multicast group
     * @return empty when a datagram made it, else why not (for a test's skip message)
     */
    public static Optional<String> unavailableReason(InetAddress group) {
        NetworkInterface lo;
        try {
            lo = loopbackInterface().orElse(null);
        } catch (SocketException e) {
            return Optional.of("cannot list interfaces: " + e.getMessage());
        }
        if (lo == null) {
            return Optional.of("no up loopback interface with an IPv4 address");
        }
        return unavailableReason(group, lo);
    }

    /**
     * {@return an up, non-loopback, multicast-capable interface with an IPv6 address, if any}: IPv6 multicast cannot
     * loop back over Linux's {@code lo} (joining a group there fails), so an IPv6 multicast test needs a real
     * interface; with IP_MULTICAST_LOOP its datagrams come back to this host, and link-local groups stay on the link.
     */
    public static Optional<NetworkInterface> ipv6MulticastInterface() throws SocketException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isLoopback() && ni.isUp() && ni.supportsMulticast()
                    && Collections.list(ni.getInetAddresses()).stream().anyMatch(a -> a instanceof java.net.Inet6Address)) {
                return Optional.of(ni);
            }
        }
        return Optional.empty();
    }

    /**
     * Probes multicast to {@code group} over {@code ni}.
     *
     * @param group a multicast group, IPv4 or IPv6
     * @param ni the interface to join it on and send from
     * @return empty when a datagram made it, else why not (for a test's skip message)
     */
    public static Optional<String> unavailableReason(InetAddress group, NetworkInterface ni) {
        boolean v6 = group instanceof java.net.Inet6Address;
        StandardProtocolFamily family = v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        String flags;
        try {
            flags = ni.getName() + " (MULTICAST flag " + (ni.supportsMulticast() ? "set" : "not set") + ")";
        } catch (SocketException e) {
            flags = ni.getName();
        }
        byte[] token = ("probe-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        try (DatagramChannel rx = DatagramChannel.open(family);
             DatagramChannel tx = DatagramChannel.open(family);
             Selector sel = Selector.open()) {
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.bind(new InetSocketAddress(InetAddress.getByName(v6 ? "::" : "0.0.0.0"), 0));
            int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
            try {
                rx.join(group, ni);
            } catch (IOException | RuntimeException e) {
                return Optional.of("joining " + group.getHostAddress() + " on " + flags + " failed: " + e);
            }
            tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            try {
                tx.send(ByteBuffer.wrap(token), new InetSocketAddress(group, port));
            } catch (IOException | RuntimeException e) {
                return Optional.of("sending to " + group.getHostAddress() + " via " + flags + " failed: " + e);
            }
            rx.configureBlocking(false);
            rx.register(sel, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + 1_000_000_000L;
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (System.nanoTime() < deadline) {
                sel.select(100);
                buf.clear();
                SocketAddress from = rx.receive(buf);
                if (from != null && buf.position() == token.length) {
                    return Optional.empty();
                }
            }
            return Optional.of("a datagram to " + group.getHostAddress() + " via " + flags
                    + " (IP_MULTICAST_LOOP on) did not come back within 1 s: the kernel or sandbox drops multicast looped back there");
        } catch (IOException | RuntimeException e) {
            return Optional.of("probe failed: " + e);
        }
    }
}
