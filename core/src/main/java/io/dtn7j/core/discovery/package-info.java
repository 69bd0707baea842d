/**
 * IP neighbour discovery (IPND) compatible with dtn7-rs and dtn7-zero: the beacon model and its CBOR codec
 * ({@link io.dtn7j.core.discovery.Beacon}, {@link io.dtn7j.core.discovery.BeaconCodec}) and the service that sends
 * and receives beacons ({@link io.dtn7j.core.discovery.IpndService}), reporting peers to a
 * {@link io.dtn7j.core.discovery.DiscoveryListener}.
 */
package io.dtn7j.core.discovery;
