/**
 * HTTP exchanges that a peer cannot hold up or flood: every response body read with a limit on its size and on how
 * long it may stall ({@link io.dtn7j.core.http.BoundedHttp}). The JDK's {@code HttpRequest.timeout} covers only the
 * wait for the response headers; a body that stops half-way would otherwise block its reader for good. Used by the
 * {@code http} and {@code dtn7rs-rest} convergence layers and by the external endpoint.
 */
package io.dtn7j.core.http;
