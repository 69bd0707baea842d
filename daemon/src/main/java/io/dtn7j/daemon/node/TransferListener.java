package io.dtn7j.daemon.node;

import io.dtn7j.core.cla.ClaAddress;
import io.dtn7j.core.cla.OutgoingBundle;
import io.dtn7j.core.cla.TransmissionException;

/**
 * Told of every transmission a {@link MeteredConvergenceLayer} sees: per-peer failure counts for
 * {@code /status/peers} and the external router's SendingSucceeded/SendingFailed notifications. Calls come from the
 * agent's sending threads; implementations must be quick and thread-safe.
 */
public interface TransferListener {

    /**
     * A bundle was transmitted.
     *
     * @param cla the CLA's name
     * @param to the address it went to
     * @param bundle the bundle
     */
    default void sent(String cla, ClaAddress to, OutgoingBundle bundle) {
    }

    /**
     * A transmission failed.
     *
     * @param cla the CLA's name
     * @param to the address it was meant for
     * @param bundle the bundle
     * @param error why it failed
     */
    default void failed(String cla, ClaAddress to, OutgoingBundle bundle, TransmissionException error) {
    }

    /**
     * A listener that tells each of {@code listeners} (a live list: later additions are told too); one that throws
     * does not keep the others from being told.
     *
     * @param listeners the listeners
     * @return the combined listener
     */
    static TransferListener all(java.util.List<TransferListener> listeners) {
        return new TransferListener() {
            @Override
            public void sent(String cla, ClaAddress to, OutgoingBundle bundle) {
                for (TransferListener l : listeners) {
                    try {
                        l.sent(cla, to, bundle);
                    } catch (RuntimeException e) {
                        System.getLogger(TransferListener.class.getName()).log(System.Logger.Level.WARNING,
                                "transfer listener failed", e);
                    }
                }
            }

            @Override
            public void failed(String cla, ClaAddress to, OutgoingBundle bundle, TransmissionException error) {
                for (TransferListener l : listeners) {
                    try {
                        l.failed(cla, to, bundle, error);
                    } catch (RuntimeException e) {
                        System.getLogger(TransferListener.class.getName()).log(System.Logger.Level.WARNING,
                                "transfer listener failed", e);
                    }
                }
            }
        };
    }
}
