package io.dtn7j.core.agent;

import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.EndpointId;

import java.time.Duration;
import java.util.Objects;

/**
 * What an application asks the agent to send (RFC 9171 §5.2, bundle transmission). Build one with
 * {@link #to(EndpointId)}.
 *
 * @param source      source EID; {@code null} = the node ID
 * @param destination destination EID
 * @param reportTo    report-to EID; {@code null} = the source (or the node ID for anonymous bundles)
 * @param payload     application data unit; may be file-backed
 * @param lifetime    bundle lifetime; {@code null} = the agent's default lifetime
 * @param flags       bundle processing control flags (report requests, must-not-fragment, ...); the
 *                    fragment and administrative-record flags are the agent's business and must not be set
 * @param anonymous   send with source {@code dtn:none} (RFC 9171 §4.2.5.1.1); then must-not-fragment is set and no
 *                    status reports may be requested
 */
public record SendRequest(EndpointId source, EndpointId destination, EndpointId reportTo, ByteSource payload,
                          Duration lifetime, long flags, boolean anonymous) {

    /** Validates the request. */
    public SendRequest {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
        if (destination.isNone()) {
            throw new IllegalArgumentException("a bundle cannot be sent to dtn:none");
        }
        if ((flags & (BundleFlags.IS_FRAGMENT | BundleFlags.ADMINISTRATIVE_RECORD)) != 0) {
            throw new IllegalArgumentException("the is-fragment and administrative-record flags are set by the agent, "
                    + "not by applications (flags 0x" + Long.toHexString(flags) + ")");
        }
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw new IllegalArgumentException("lifetime must be positive, got " + lifetime);
        }
        if (anonymous && (flags & BundleFlags.ALL_REPORT_REQUESTS) != 0) {
            throw new IllegalArgumentException("an anonymous bundle (source dtn:none) may not request status reports "
                    + "(RFC 9171 §4.2.3)");
        }
    }

    /**
     * A builder for a bundle to {@code destination}.
     *
     * @param destination the destination endpoint
     * @return the builder
     */
    public static Builder to(EndpointId destination) {
        return new Builder(destination);
    }

    /**
     * A builder for a bundle to the EID {@code destinationUri}.
     *
     * @param destinationUri the destination endpoint's URI
     * @return the builder
     */
    public static Builder to(String destinationUri) {
        return new Builder(EndpointId.parse(destinationUri));
    }

    /** Builds a {@link SendRequest}. */
    public static final class Builder {
        private EndpointId source;
        private final EndpointId destination;
        private EndpointId reportTo;
        private ByteSource payload = ByteSource.empty();
        private Duration lifetime;
        private long flags;
        private boolean anonymous;

        private Builder(EndpointId destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
        }

        /**
         * Source EID (default: the node ID).
         *
         * @param s the source endpoint
         * @return this builder
         */
        public Builder source(EndpointId s) { this.source = s; return this; }
        /**
         * Report-to EID (default: the source).
         *
         * @param r the report-to endpoint
         * @return this builder
         */
        public Builder reportTo(EndpointId r) { this.reportTo = r; return this; }
        /**
         * Payload bytes (not copied: the stored and forwarded bundle refers to them, so they must not change
         * after the send).
         *
         * @param p the payload
         * @return this builder
         */
        public Builder payload(byte[] p) { this.payload = ByteSource.of(p); return this; }
        /**
         * Payload source.
         *
         * @param p the payload
         * @return this builder
         */
        public Builder payload(ByteSource p) { this.payload = Objects.requireNonNull(p); return this; }
        /**
         * Payload as UTF-8 text.
         *
         * @param text the payload text
         * @return this builder
         */
        public Builder payload(String text) { this.payload = ByteSource.ofUtf8(text); return this; }
        /**
         * Lifetime.
         *
         * @param l the lifetime
         * @return this builder
         */
        public Builder lifetime(Duration l) { this.lifetime = l; return this; }
        /**
         * Raw bundle flags (see {@link BundleFlags}).
         *
         * @param f the bundle processing control flags
         * @return this builder
         */
        public Builder flags(long f) { this.flags = f; return this; }
        /**
         * Sets must-not-fragment.
         *
         * @return this builder
         */
        public Builder mustNotFragment() { this.flags |= BundleFlags.MUST_NOT_FRAGMENT; return this; }
        /**
         * Requests a delivery status report.
         *
         * @return this builder
         */
        public Builder requestDeliveryReport() { this.flags |= BundleFlags.REPORT_DELIVERY; return this; }
        /**
         * Requests a deletion status report.
         *
         * @return this builder
         */
        public Builder requestDeletionReport() { this.flags |= BundleFlags.REPORT_DELETION; return this; }
        /**
         * Requests a forwarding status report.
         *
         * @return this builder
         */
        public Builder requestForwardingReport() { this.flags |= BundleFlags.REPORT_FORWARDING; return this; }
        /**
         * Requests a reception status report.
         *
         * @return this builder
         */
        public Builder requestReceptionReport() { this.flags |= BundleFlags.REPORT_RECEPTION; return this; }
        /**
         * Requests the time of each status in reports.
         *
         * @return this builder
         */
        public Builder requestStatusTime() { this.flags |= BundleFlags.STATUS_TIME_REQUESTED; return this; }
        /**
         * Sends anonymously (source {@code dtn:none}).
         *
         * @return this builder
         */
        public Builder anonymous() { this.anonymous = true; return this; }

        /** {@return the request} */
        public SendRequest build() {
            return new SendRequest(source, destination, reportTo, payload, lifetime, flags, anonymous);
        }
    }
}
