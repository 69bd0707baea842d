package io.dtn7j.core.cla;

/**
 * Creates convergence layers of one kind; registered in {@link ConvergenceLayers} (built in, or through
 * {@link java.util.ServiceLoader} with a {@code META-INF/services/io.dtn7j.core.cla.ConvergenceLayerProvider} entry).
 */
public interface ConvergenceLayerProvider {

    /** {@return the CLA name this provider creates, e.g. {@code "mtcp"}} */
    String name();

    /** {@return the CLA's standard port (16162 for mtcp, 4556 for tcp, ...), 0 if it listens on none} */
    int defaultPort();

    /**
     * A new, not yet started CLA.
     *
     * @param options the CLA's settings
     * @return the CLA
     */
    ConvergenceLayer create(ClaOptions options);
}
