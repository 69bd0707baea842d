/** The two BPv7 block CRCs (RFC 9171 §4.2.1): CRC-16/X-25 and CRC-32C. */
package io.dtn7j.bundle.crc;
