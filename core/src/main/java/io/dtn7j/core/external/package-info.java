/**
 * {@link io.dtn7j.core.external.ExternalEndpoint}: an application endpoint registered at a remote dtn7-rs or
 * dtn7j daemon through its HTTP/WebSocket API, behind the simple API's {@link io.dtn7j.core.api.Endpoint}
 * interface.
 */
package io.dtn7j.core.external;
