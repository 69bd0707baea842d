package io.dtn7j.bundle.admin;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.cbor.CborReader;
import io.dtn7j.bundle.cbor.CborWriter;

/**
 * The payload of a bundle whose "payload is an administrative record" flag is set (RFC 9171 §6.1): the CBOR array
 * {@code [record type code, record content]}. Type 1 is a {@link BundleStatusReport}; every other type is kept as an
 * {@link UnknownAdministrativeRecord} with its content bytes.
 *
 * <p>{@link #decode} never trusts a length: malformed input gives a {@link BundleDecodeException} whose
 * {@link BundleDecodeException#reason() reason} says what is wrong, never another exception.
 */
public sealed interface AdministrativeRecord permits BundleStatusReport, UnknownAdministrativeRecord {

    /** Record type code of a bundle status report. */
    long TYPE_BUNDLE_STATUS_REPORT = 1;

    /** The largest administrative record payload {@link #decode} reads (1 MiB); larger payloads are rejected. */
    int MAX_RECORD_SIZE = 1 << 20;

    /** {@return the record type code} */
    long recordType();

    /**
     * {@return the CBOR encoding of the record: {@code [type, content]}, the payload of an administrative-record
     * bundle}
     */
    default byte[] encode() {
        CborWriter w = new CborWriter(64);
        w.writeArrayHeader(2).writeUnsigned(recordType());
        switch (this) {
            case BundleStatusReport r -> r.writeContent(w);
            case UnknownAdministrativeRecord u -> {
                byte[] c = u.content();
                w.writeRaw(c, 0, c.length);
            }
        }
        return w.toByteArray();
    }

    /**
     * Decodes an administrative record.
     *
     *
     * @param payload the payload of a bundle flagged as carrying an administrative record
     * @throws BundleDecodeException if the bytes are not exactly one well-formed administrative record
     * @return the record; an unknown record type gives an {@link UnknownAdministrativeRecord}
     */
    static AdministrativeRecord decode(byte[] payload) {
        CborReader r = new CborReader(payload);
        long start = r.position();
        r.readArrayHeader("administrative record", 2);
        long type = r.readUnsigned("administrative record type");
        AdministrativeRecord rec;
        if (type == TYPE_BUNDLE_STATUS_REPORT) {
            rec = BundleStatusReport.readContent(r);
        } else {
            long contentStart = r.position();
            r.skipItem();
            int from = r.arrayIndex(contentStart);
            int to = r.arrayIndex(r.position());
            byte[] content = java.util.Arrays.copyOfRange(payload, from, to);
            rec = new UnknownAdministrativeRecord(type, content);
        }
        if (!r.atEnd()) {
            throw new BundleDecodeException(Reason.TRAILING_BYTES, "administrative record: " + r.remaining()
                    + " bytes follow the record", r.position());
        }
        assert start == 0;
        return rec;
    }

    /**
     * Decodes an administrative record held in a (possibly file-backed) source.
     *
     *
     * @param payload the payload of a bundle flagged as carrying an administrative record
     * @throws BundleDecodeException if the bytes are not one well-formed record, or larger than {@link #MAX_RECORD_SIZE}
     * @return the record; an unknown record type gives an {@link UnknownAdministrativeRecord}
     */
    static AdministrativeRecord decode(ByteSource payload) {
        if (payload.size() > MAX_RECORD_SIZE) {
            throw new BundleDecodeException(Reason.TOO_LARGE, "administrative record of " + payload.size()
                    + " bytes exceeds the limit of " + MAX_RECORD_SIZE + " bytes", 0);
        }
        return decode(payload.toByteArray());
    }

    /**
     * The administrative record carried by {@code bundle}.
     *
     *
     * @param bundle the bundle
     * @throws IllegalArgumentException if the bundle's "payload is an administrative record" flag is not set
     * @throws BundleDecodeException    if the payload is not a well-formed administrative record
     * @return the record
     */
    static AdministrativeRecord of(Bundle bundle) {
        if (!bundle.isAdministrativeRecord()) {
            throw new IllegalArgumentException("bundle " + bundle.id()
                    + " does not carry an administrative record (flag 0x02 is not set)");
        }
        return decode(bundle.payload());
    }
}
