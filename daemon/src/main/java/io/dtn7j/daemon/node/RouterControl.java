package io.dtn7j.daemon.node;

import io.dtn7j.daemon.api.ApiException;

/**
 * A router that answers dtn7-rs's {@code /routing/cmd} and {@code /routing/getdata} itself (the daemon's external
 * router does); the built-in routers are handled by {@link RoutingControl}.
 */
public interface RouterControl {

    /**
     * Runs a routing command.
     *
     * @param command the command text ({@code c=})
     * @return the reply text
     * @throws ApiException with a 4xx status for a command the router does not take
     */
    String command(String command) throws ApiException;

    /**
     * Describes the router's state.
     *
     * @param param the optional {@code p=} parameter (empty when absent)
     * @return the reply text
     * @throws ApiException with a 4xx status for a bad parameter
     */
    String data(String param) throws ApiException;
}
