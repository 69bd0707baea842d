package io.dtn7j.core.agent;

import io.dtn7j.bundle.admin.BundleStatusReport;

/**
 * Receives what an active registration gets: delivered bundles and status reports about bundles its endpoint sent.
 * Called on a virtual thread owned by the registration, one call at a time, in delivery order. A listener that throws
 * is logged; the bundle counts as delivered.
 */
@FunctionalInterface
public interface DeliveryListener {

    /**
     * A bundle was delivered to the registration's endpoint (RFC 9171 §5.7).
     *
     * @param delivery the delivered bundle
     */
    void onDelivery(Delivery delivery);

    /**
     * A status report arrived about a bundle whose source is the registration's endpoint (RFC 9171 §6), e.g.
     * "delivered" or "deleted". The default ignores it.
     *
     * @param report the status report
     */
    default void onStatusReport(BundleStatusReport report) {
    }
}
