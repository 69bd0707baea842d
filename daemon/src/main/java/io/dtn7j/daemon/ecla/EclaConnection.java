package io.dtn7j.daemon.ecla;

import java.io.IOException;

/**
 * One module's connection, whatever carries it (the {@code /ws/ecla} WebSocket or the TCP connector), with the
 * registration state the {@link EclaService} keeps for it.
 */
abstract class EclaConnection {
    private volatile EclaModuleCla module;
    private volatile boolean beacons;

    /** Sends a packet and waits until it is written (or fails). */
    abstract void send(EclaPacket packet) throws IOException;

    /** Sends without waiting; failures only end up in the log. */
    abstract void trySend(EclaPacket packet);

    /** Sends {@code last}, then closes the connection. */
    abstract void closeWith(EclaPacket last);

    /** Closes the connection. */
    abstract void close();

    EclaModuleCla module() {
        return module;
    }

    void registered(EclaModuleCla cla, boolean enableBeacon) {
        this.module = cla;
        this.beacons = enableBeacon;
    }

    boolean wantsBeacons() {
        return module != null && beacons;
    }
}
