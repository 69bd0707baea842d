/**
 * Routers: the {@link io.dtn7j.core.routing.Router} interface and the algorithms dtn7-rs offers (epidemic, flooding,
 * spray and wait, static, sink), created by name through {@link io.dtn7j.core.routing.Routers}.
 */
package io.dtn7j.core.routing;
