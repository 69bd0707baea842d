package io.dtn7j.core.peer;

/** How the agent learned of a peer. */
public enum PeerOrigin {
    /** Configured (static peers never expire). */
    STATIC,
    /** Seen by neighbour discovery (IPND beacons); expires when no longer seen. */
    DISCOVERED,
    /** Learned from a convergence layer session coming up (e.g. TCPCL SESS_INIT); gone when its link goes down. */
    LINK
}
