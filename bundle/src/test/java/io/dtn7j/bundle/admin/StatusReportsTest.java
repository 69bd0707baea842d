package io.dtn7j.bundle.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.admin.BundleStatusReport.Status;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StatusReportsTest {

    private static final EndpointId NODE = EndpointId.parse("dtn://relay/");

    private static Bundle subject(long flags) {
        return Bundle.builder().source("dtn://alice/app").destination("dtn://bob/inbox").reportTo("dtn://alice/reports")
                .creation(700_000, 4).lifetimeMs(90_000).crcType(CrcType.CRC16).flags(flags).payload("hello").build();
    }

    @Test
    void theReportBundleGoesToTheReportToEndpointAndRequestsNothing() {
        Bundle subject = subject(BundleFlags.REPORT_DELIVERY | BundleFlags.REPORT_FORWARDING);
        BundleStatusReport report = BundleStatusReport.forSubject(subject, Status.DELIVERED,
                StatusReportReason.NO_ADDITIONAL_INFORMATION, 800_000);

        Bundle b = StatusReports.bundleFor(subject, report, NODE, new CreationTimestamp(800_000, 0));

        assertThat(b.flags().bits()).isEqualTo(BundleFlags.ADMINISTRATIVE_RECORD);
        assertThat(b.flags().anyReportRequested()).isFalse();
        assertThat(b.destination()).isEqualTo(EndpointId.parse("dtn://alice/reports"));
        assertThat(b.source()).isEqualTo(NODE);
        assertThat(b.primary().lifetimeMs()).isEqualTo(90_000);
        assertThat(b.primary().crcType()).isEqualTo(CrcType.CRC16);
        assertThat(b.bundleAge()).isEmpty();
        BundleStatusReport back = (BundleStatusReport) AdministrativeRecord.of(b);
        assertThat(back).isEqualTo(report);
        assertThat(back.delivered()).isEqualTo(StatusAssertion.ASSERTED); // no status time requested: no time
        assertThat(back.received().asserted()).isFalse();
        assertThat(back.subjectId()).isEqualTo(subject.id());
        assertThat(back.subjectId().toString()).isEqualTo("dtn://alice/app-700000-4");
    }

    @Test
    void statusTimesAreIncludedOnlyWhenTheSubjectAsksForThem() {
        Bundle subject = subject(BundleFlags.STATUS_TIME_REQUESTED | BundleFlags.REPORT_RECEPTION);
        BundleStatusReport report = BundleStatusReport.forSubject(subject, EnumSet.of(Status.RECEIVED, Status.DELETED),
                StatusReportReason.HOP_LIMIT_EXCEEDED, 123_456);
        assertThat(report.received()).isEqualTo(StatusAssertion.at(123_456));
        assertThat(report.deleted()).isEqualTo(StatusAssertion.at(123_456));
        assertThat(report.forwarded()).isEqualTo(StatusAssertion.NOT_ASSERTED);
        assertThat(report.reasonCode()).isEqualTo(9);
    }

    @Test
    void aReportAboutAFragmentNamesItsOffsetAndLength() {
        Bundle fragment = Bundle.builder().source("ipn:5.1").destination("ipn:6.1").creation(10, 0)
                .fragment(new FragmentInfo(1000, 5000)).payload(new byte[300]).build();
        BundleStatusReport report = BundleStatusReport.forSubject(fragment, Status.RECEIVED,
                StatusReportReason.NO_ADDITIONAL_INFORMATION, 11);
        assertThat(report.subjectFragmentOffset()).isEqualTo(1000);
        assertThat(report.subjectFragmentLength()).isEqualTo(300);
        assertThat(report.subjectId()).isEqualTo(fragment.id());
        assertThat(report.subjectId().toString()).isEqualTo("ipn:5.1-10-0-1000");
        Bundle b = StatusReports.bundleFor(fragment, report, EndpointId.parse("ipn:7.0"), new CreationTimestamp(0, 0));
        assertThat(AdministrativeRecord.of(b)).isEqualTo(report);
        // clockless report bundle: carries a bundle age block
        assertThat(b.bundleAge()).isPresent();
    }

    @Test
    void refusesSubjectsWithNowhereToReportToAndAdministrativeRecords() {
        Bundle anonymous = Bundle.builder().destination("dtn://bob/x").creation(1, 0).flags(BundleFlags.MUST_NOT_FRAGMENT)
                .payload("x").build();
        BundleStatusReport r = BundleStatusReport.forSubject(anonymous, Status.RECEIVED,
                StatusReportReason.NO_ADDITIONAL_INFORMATION, 2);
        assertThatThrownBy(() -> StatusReports.bundleFor(anonymous, r, NODE, new CreationTimestamp(2, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dtn:none");

        Bundle adminRecord = StatusReports.bundleFor(subject(0), r, NODE, new CreationTimestamp(3, 0));
        assertThatThrownBy(() -> StatusReports.bundleFor(adminRecord, r, NODE, new CreationTimestamp(4, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("administrative record");
        assertThatThrownBy(() -> AdministrativeRecord.of(subject(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x02");
    }
}
