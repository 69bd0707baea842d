/**
 * Encoding and decoding of bundles ({@link io.dtn7j.bundle.codec.BundleCodec}) and the RFC 9171 §4
 * validity policy ({@link io.dtn7j.bundle.codec.BundleValidator}, {@link io.dtn7j.bundle.codec.ValidationPolicy}).
 */
package io.dtn7j.bundle.codec;
