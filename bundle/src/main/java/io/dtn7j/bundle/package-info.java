/**
 * The BPv7 (RFC 9171) bundle data model: endpoint IDs, flags, primary and canonical blocks, bundles and
 * bundle IDs. All values are immutable. Large payloads live behind {@link io.dtn7j.bundle.ByteSource}, so
 * they never have to sit in the heap. Encoding and decoding is in {@link io.dtn7j.bundle.codec}.
 */
package io.dtn7j.bundle;
