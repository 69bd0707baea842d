/**
 * The subset of CBOR (RFC 8949) that BPv7 uses: a strict pull reader that never trusts a length field and
 * rejects non-shortest integers, and a deterministic writer.
 */
package io.dtn7j.bundle.cbor;
