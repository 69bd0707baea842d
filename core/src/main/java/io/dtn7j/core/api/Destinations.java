package io.dtn7j.core.api;

import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.InvalidEndpointIdException;

/**
 * Reads the destination of a send as a user wrote it, with errors that say what to write instead. The simple API's
 * {@link LocalEndpoint} and the remote {@link io.dtn7j.core.external.ExternalEndpoint} both take destinations this
 * way, so both accept and refuse the same strings with the same messages.
 */
public final class Destinations {

    private Destinations() {
    }

    /**
     * Parses a destination: any valid endpoint ID ({@code dtn://node2/echo}, {@code dtn://global/~news},
     * {@code ipn:23.7}) except the null endpoint {@code dtn:none}, where nothing receives.
     *
     * @param uri the endpoint ID as written
     * @return the parsed endpoint ID
     * @throws IllegalArgumentException if {@code uri} is null, is not a valid endpoint ID or is {@code dtn:none};
     *     the message names the problem and shows a valid form
     */
    public static EndpointId parse(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("no destination given: write a full endpoint ID such as "
                    + "dtn://node2/echo or ipn:23.7");
        }
        EndpointId eid;
        try {
            eid = EndpointId.parse(uri);
        } catch (InvalidEndpointIdException e) {
            throw new IllegalArgumentException("'" + uri + "' is not a valid endpoint ID (" + e.getMessage()
                    + "): write a full endpoint ID such as dtn://node2/echo or ipn:23.7", e);
        }
        if (eid.isNone()) {
            throw new IllegalArgumentException("dtn:none cannot be a destination: nothing receives there");
        }
        return eid;
    }
}
