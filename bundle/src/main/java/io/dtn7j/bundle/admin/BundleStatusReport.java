package io.dtn7j.bundle.admin;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.cbor.CborReader;
import io.dtn7j.bundle.cbor.CborWriter;
import io.dtn7j.bundle.codec.EidCodec;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A bundle status report (RFC 9171 §6.1.1), administrative record type 1. Its content is the CBOR array
 * {@code [[received, forwarded, delivered, deleted], reason code, subject source, [subject time, subject seq]]},
 * followed by the subject's fragment offset and payload length when the subject bundle is a fragment. Each status
 * item is {@code [asserted]} or {@code [true, dtn time]}.
 *
 * @param received              whether (and when) the reporting node received the subject bundle
 * @param forwarded             whether (and when) it forwarded it
 * @param delivered             whether (and when) it delivered it
 * @param deleted               whether (and when) it deleted it
 * @param reasonCode            the reason code on the wire (see {@link #reason()}); unassigned codes are kept
 * @param subjectSource         the subject bundle's source EID
 * @param subjectCreation       the subject bundle's creation timestamp
 * @param subjectFragmentOffset the subject fragment's offset, or -1 when the subject is not a fragment
 * @param subjectFragmentLength the subject fragment's payload length, or -1 when the subject is not a fragment
 */
public record BundleStatusReport(StatusAssertion received, StatusAssertion forwarded, StatusAssertion delivered,
                                 StatusAssertion deleted, long reasonCode, EndpointId subjectSource,
                                 CreationTimestamp subjectCreation, long subjectFragmentOffset,
                                 long subjectFragmentLength) implements AdministrativeRecord {

    /** The four statuses a report can assert, in wire order. */
    public enum Status {
        /** Reporting node received the bundle. */
        RECEIVED,
        /** Reporting node forwarded the bundle. */
        FORWARDED,
        /** Reporting node delivered the bundle. */
        DELIVERED,
        /** Reporting node deleted the bundle. */
        DELETED
    }

    /** Checks for nulls and that fragment offset and length are both given or both -1. */
    public BundleStatusReport {
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(forwarded, "forwarded");
        Objects.requireNonNull(delivered, "delivered");
        Objects.requireNonNull(deleted, "deleted");
        Objects.requireNonNull(subjectSource, "subjectSource");
        Objects.requireNonNull(subjectCreation, "subjectCreation");
        if ((subjectFragmentOffset == -1) != (subjectFragmentLength == -1)) {
            throw new IllegalArgumentException("fragment offset and length must both be given or both be -1, not "
                    + subjectFragmentOffset + " and " + subjectFragmentLength);
        }
        if (subjectFragmentOffset < -1 || subjectFragmentLength < -1) {
            throw new IllegalArgumentException("fragment offset and length must be non-negative (or both -1)");
        }
    }

    /**
     * A report about {@code subject} asserting {@code statuses}, all of which happened at {@code dtnTimeMs}. The
     * time
     * is included only when the subject's "report status time" flag is set; the subject's fragment offset and
     * payload
     * length are included when it is a fragment.
     *
     * @param subject the bundle the report is about
     * @param statuses the statuses asserted
     * @param reason why the status was reached
     * @param dtnTimeMs when it happened, in milliseconds since the DTN epoch
     * @return the report
     */
    public static BundleStatusReport forSubject(Bundle subject, Set<Status> statuses, StatusReportReason reason,
                                                long dtnTimeMs) {
        Objects.requireNonNull(reason, "reason");
        if (reason == StatusReportReason.UNKNOWN) {
            throw new IllegalArgumentException("give a concrete reason, or use the canonical constructor for a raw code");
        }
        StatusAssertion yes = subject.flags().statusTimeRequested() ? StatusAssertion.at(dtnTimeMs) : StatusAssertion.ASSERTED;
        FragmentInfo f = subject.primary().fragment();
        long offset = -1;
        long length = -1;
        if (f != null) {
            offset = f.offset();
            length = subject.hasPayload() ? subject.payload().size() : 0;
        }
        return new BundleStatusReport(
                statuses.contains(Status.RECEIVED) ? yes : StatusAssertion.NOT_ASSERTED,
                statuses.contains(Status.FORWARDED) ? yes : StatusAssertion.NOT_ASSERTED,
                statuses.contains(Status.DELIVERED) ? yes : StatusAssertion.NOT_ASSERTED,
                statuses.contains(Status.DELETED) ? yes : StatusAssertion.NOT_ASSERTED,
                reason.code(), subject.source(), subject.creation(), offset, length);
    }

    /**
     * A report about {@code subject} asserting one status; see {@link #forSubject(Bundle, Set,
     * StatusReportReason, long)}.
     *
     * @param subject the bundle the report is about
     * @param status the status asserted
     * @param reason why the status was reached
     * @param dtnTimeMs when it happened, in milliseconds since the DTN epoch
     * @return the report
     */
    public static BundleStatusReport forSubject(Bundle subject, Status status, StatusReportReason reason, long dtnTimeMs) {
        return forSubject(subject, Set.of(status), reason, dtnTimeMs);
    }

    @Override
    public long recordType() {
        return TYPE_BUNDLE_STATUS_REPORT;
    }

    /**
     * {@return the reason, {@link StatusReportReason#UNKNOWN} when {@link #reasonCode()} is not one this library
     * knows}
     */
    public StatusReportReason reason() {
        return StatusReportReason.fromCode(reasonCode);
    }

    /**
     * The assertion for one status.
     *
     * @param status the status
     * @return its assertion (asserted or not, with the time when present)
     */
    public StatusAssertion assertion(Status status) {
        return switch (status) {
            case RECEIVED -> received;
            case FORWARDED -> forwarded;
            case DELIVERED -> delivered;
            case DELETED -> deleted;
        };
    }

    /** {@return whether the subject bundle is a fragment (the report carries its offset and length)} */
    public boolean subjectIsFragment() {
        return subjectFragmentOffset != -1;
    }

    /**
     * {@return the subject bundle's ID} Its string form is dtn7-rs's "refbundle" string: the fragment offset is
     * appended only when the report carries a fragment length greater than 0, as dtn7-rs does.
     */
    public BundleId subjectId() {
        if (subjectIsFragment() && subjectFragmentLength != 0) {
            return new BundleId(subjectSource, subjectCreation, subjectFragmentOffset, subjectFragmentLength);
        }
        return BundleId.of(subjectSource, subjectCreation);
    }

    void writeContent(CborWriter w) {
        w.writeArrayHeader(subjectIsFragment() ? 6 : 4);
        w.writeArrayHeader(4);
        writeAssertion(w, received);
        writeAssertion(w, forwarded);
        writeAssertion(w, delivered);
        writeAssertion(w, deleted);
        w.writeUnsigned(reasonCode);
        EidCodec.write(w, subjectSource);
        w.writeArrayHeader(2).writeUnsigned(subjectCreation.dtnTimeMs()).writeUnsigned(subjectCreation.sequence());
        if (subjectIsFragment()) {
            w.writeUnsigned(subjectFragmentOffset).writeUnsigned(subjectFragmentLength);
        }
    }

    private static void writeAssertion(CborWriter w, StatusAssertion a) {
        if (a.time().isPresent()) {
            w.writeArrayHeader(2).writeHead(CborReader.SIMPLE, SIMPLE_TRUE).writeUnsigned(a.time().getAsLong());
        } else {
            w.writeArrayHeader(1).writeHead(CborReader.SIMPLE, a.asserted() ? SIMPLE_TRUE : SIMPLE_FALSE);
        }
    }

    private static final int SIMPLE_FALSE = 20;
    private static final int SIMPLE_TRUE = 21;

    static BundleStatusReport readContent(CborReader r) {
        long start = r.position();
        long n = r.readArrayHeader("bundle status report", false);
        if (n != 4 && n != 6) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, "bundle status report: array of " + Long.toUnsignedString(n)
                    + " elements, expected 4 (or 6 for a fragment)", start);
        }
        r.readArrayHeader("bundle status information", 4);
        StatusAssertion received = readAssertion(r, "received");
        StatusAssertion forwarded = readAssertion(r, "forwarded");
        StatusAssertion delivered = readAssertion(r, "delivered");
        StatusAssertion deleted = readAssertion(r, "deleted");
        long reason = r.readUnsigned("status report reason code");
        EndpointId source = EidCodec.read(r, "status report subject source", true);
        r.readArrayHeader("status report subject creation timestamp", 2);
        long time = r.readUnsigned("status report subject creation time");
        long seq = r.readUnsigned("status report subject sequence number");
        long offset = -1;
        long length = -1;
        if (n == 6) {
            long at = r.position();
            offset = r.readUnsigned("status report subject fragment offset");
            length = r.readUnsigned("status report subject fragment length");
            if (offset < 0 || length < 0) {
                throw new BundleDecodeException(Reason.WRONG_STRUCTURE,
                        "status report subject fragment offset/length beyond 2^63-1", at);
            }
        }
        return new BundleStatusReport(received, forwarded, delivered, deleted, reason, source,
                new CreationTimestamp(time, seq), offset, length);
    }

    private static StatusAssertion readAssertion(CborReader r, String name) {
        String what = "status item '" + name + "'";
        long start = r.position();
        long n = r.readArrayHeader(what, false);
        if (n != 1 && n != 2) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, what + ": array of " + Long.toUnsignedString(n)
                    + " elements, expected [asserted] or [true, time]", start);
        }
        boolean asserted = readBoolean(r, what + " indicator");
        if (n == 1) {
            return asserted ? StatusAssertion.ASSERTED : StatusAssertion.NOT_ASSERTED;
        }
        if (!asserted) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, what + ": a time is given for a status that is not asserted",
                    start);
        }
        return new StatusAssertion(true, OptionalLong.of(r.readUnsigned(what + " time")));
    }

    private static boolean readBoolean(CborReader r, String what) {
        long at = r.position();
        int b = r.peekByte();
        if (b != 0xf4 && b != 0xf5) {
            throw new BundleDecodeException(Reason.WRONG_STRUCTURE, what + ": expected true or false, found initial byte 0x"
                    + Integer.toHexString(b), at);
        }
        r.skipItem();
        return b == 0xf5;
    }
}
