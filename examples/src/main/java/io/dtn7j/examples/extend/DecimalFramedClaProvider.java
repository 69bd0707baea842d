package io.dtn7j.examples.extend;

import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.ConvergenceLayer;
import io.dtn7j.core.cla.ConvergenceLayerProvider;

/**
 * Registers {@link DecimalFramedCla} under its name, so that {@code ConvergenceLayers.create("dtcp-example", ...)}
 * (and the daemon's {@code --cla dtcp-example}) find it; listed in
 * {@code META-INF/services/io.dtn7j.core.cla.ConvergenceLayerProvider}.
 */
public final class DecimalFramedClaProvider implements ConvergenceLayerProvider {

    /** Creates the provider; the ServiceLoader calls this. */
    public DecimalFramedClaProvider() {
    }

    @Override
    public String name() {
        return DecimalFramedCla.NAME;
    }

    @Override
    public int defaultPort() {
        return DecimalFramedCla.DEFAULT_PORT;
    }

    @Override
    public ConvergenceLayer create(ClaOptions options) {
        return new DecimalFramedCla(options);
    }
}
