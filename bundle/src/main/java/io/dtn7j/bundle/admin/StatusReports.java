package io.dtn7j.bundle.admin;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.EndpointId;
import java.util.Objects;

/**
 * Builds the bundles that carry administrative records (RFC 9171 §6.1), in particular the status report about a
 * subject bundle.
 */
public final class StatusReports {

    private StatusReports() {
    }

    /**
     * {@return the bundle that carries {@code report} about {@code subject} to the subject's report-to endpoint}
     * <p>The bundle's source and report-to are {@code reportingNode}; its flags are exactly "payload is an
     * administrative record" (no status report requests, as RFC 9171 §6.1 requires, and fragmentation allowed);
     * it uses the subject's primary CRC type and lifetime. A clockless creation timestamp (time 0) gets a bundle
     * age block of 0 ms, as §4.4.2 requires.
     *
     * @param subject       the bundle the report is about
     * @param report        the report (e.g. from {@link BundleStatusReport#forSubject})
     * @param reportingNode the node ID of the node sending the report
     * @param creation      the report bundle's creation timestamp
     * @throws IllegalArgumentException if the subject's report-to is {@code dtn:none} (nobody to send it to) or the
     *                                  subject is itself an administrative record (it may request no reports, §4.2.3)
     */
    public static Bundle bundleFor(Bundle subject, BundleStatusReport report, EndpointId reportingNode,
                                   CreationTimestamp creation) {
        Objects.requireNonNull(subject, "subject");
        if (subject.reportTo().isNone()) {
            throw new IllegalArgumentException("bundle " + subject.id() + " has report-to dtn:none: there is nowhere to send a status report");
        }
        if (subject.isAdministrativeRecord()) {
            throw new IllegalArgumentException("bundle " + subject.id()
                    + " is an administrative record: RFC 9171 §4.2.3 lets it request no status reports");
        }
        return recordBundle(report, reportingNode, subject.reportTo(), creation, subject.primary().lifetimeMs(),
                subject.primary().crcType());
    }

    /**
     * A bundle carrying any administrative record: flags "payload is an administrative record" only, source and
     * report-to {@code source}, a bundle age block when {@code creation} is clockless.
     *
     * @param record the record to carry
     * @param source this node's endpoint, the source and report-to of the bundle
     * @param destination where the record goes
     * @param creation the creation timestamp
     * @param lifetimeMs the lifetime in milliseconds
     * @param crcType the CRC type of every block
     * @return the bundle
     */
    public static Bundle recordBundle(AdministrativeRecord record, EndpointId source, EndpointId destination,
                                      CreationTimestamp creation, long lifetimeMs, io.dtn7j.bundle.CrcType crcType) {
        var b = Bundle.builder()
                .source(source)
                .reportTo(source)
                .destination(destination)
                .creation(creation)
                .lifetimeMs(lifetimeMs)
                .crcType(crcType)
                .flags(BundleFlags.of(BundleFlags.ADMINISTRATIVE_RECORD))
                .payload(ByteSource.of(record.encode()));
        if (creation.isClockless()) {
            b.bundleAgeMs(0);
        }
        return b.build();
    }
}
