package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.BlockFlags;
import io.dtn7j.bundle.BlockType;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnEndpointId;
import io.dtn7j.bundle.InvalidBundleException;
import io.dtn7j.bundle.InvalidBundleException.Violation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The validity rules on bundles built in code, one rule at a time. */
class BundleValidatorTest {

    private static io.dtn7j.bundle.BundleBuilder base() {
        return Bundle.builder().source("dtn://a/app").destination("dtn://b/in").creation(1000, 1).payload("x");
    }

    private static CanonicalBlock bib(long... targets) {
        // ASB: targets, context id 1, flags 0, source [1, "//a/"], results [[ [1, h'00'] ]] (shape only)
        io.dtn7j.bundle.cbor.CborWriter w = new io.dtn7j.bundle.cbor.CborWriter();
        w.writeArrayHeader(targets.length);
        for (long t : targets) {
            w.writeUnsigned(t);
        }
        w.writeUnsigned(1).writeUnsigned(0);
        EidCodec.write(w, io.dtn7j.bundle.EndpointId.parse("dtn://a/"));
        w.writeArrayHeader(targets.length);
        for (int i = 0; i < targets.length; i++) {
            w.writeArrayHeader(1).writeArrayHeader(2).writeUnsigned(1).writeByteString(new byte[] {0});
        }
        return new CanonicalBlock(BlockType.BLOCK_INTEGRITY, 0, BlockFlags.NONE, CrcType.NONE, ByteSource.of(w.toByteArray()));
    }

    private static Violation violation(Bundle b, ValidationPolicy p) {
        InvalidBundleException e = catchThrowableOfType(InvalidBundleException.class,
                () -> BundleValidator.validate(b, p, DeviationListener.IGNORE));
        return e == null ? null : e.violation();
    }

    @Test
    void crclessPrimaryIsStrictlyValidOnlyUnderABibCoveringBlockZero() {
        Bundle noCrc = base().crcType(CrcType.NONE).build();
        assertThat(violation(noCrc, ValidationPolicy.STRICT)).isEqualTo(Violation.PRIMARY_WITHOUT_CRC);
        List<Deviation> seen = new ArrayList<>();
        BundleValidator.validate(noCrc, ValidationPolicy.DEFAULT, (b, d, s) -> seen.add(d));
        assertThat(seen).containsExactly(Deviation.PRIMARY_WITHOUT_CRC);

        assertThat(violation(base().crcType(CrcType.NONE).addBlock(bib(0, 1)).build(), ValidationPolicy.STRICT)).isNull();
        assertThat(violation(base().crcType(CrcType.NONE).addBlock(bib(1)).build(), ValidationPolicy.STRICT))
                .isEqualTo(Violation.PRIMARY_WITHOUT_CRC);
        // a BIB whose data is not an ASB covers nothing
        CanonicalBlock junk = new CanonicalBlock(BlockType.BLOCK_INTEGRITY, 5, BlockFlags.NONE, CrcType.NONE,
                ByteSource.of(new byte[] {(byte) 0xff}));
        assertThat(violation(base().crcType(CrcType.NONE).addBlock(junk).build(), ValidationPolicy.STRICT))
                .isEqualTo(Violation.PRIMARY_WITHOUT_CRC);
        // and the codec agrees after a round trip
        Bundle covered = base().crcType(CrcType.NONE).addBlock(bib(0)).build();
        assertThat(BundleCodec.decode(BundleCodec.encode(covered), DecodeOptions.STRICT)).isEqualTo(covered);
    }

    @Test
    void nodeIdWithoutSlashIsADeviation() {
        Bundle b = base().destination(new DtnEndpointId("//b")).build();
        assertThat(violation(b, ValidationPolicy.STRICT)).isEqualTo(Violation.NODE_ID_WITHOUT_SLASH);
        List<String> details = new ArrayList<>();
        BundleValidator.validate(b, ValidationPolicy.DEFAULT, (x, d, s) -> details.add(d + " " + s));
        assertThat(details).singleElement().asString().contains("NODE_ID_WITHOUT_SLASH", "destination", "dtn://b");
        assertThat(violation(b, ValidationPolicy.PARSE_ONLY)).isNull();
    }

    @Test
    void eachRule() {
        Bundle ok = base().hopLimit(5).bundleAgeMs(1).build();
        assertThat(violation(ok, ValidationPolicy.STRICT)).isNull();
        CanonicalBlock payload = ok.payloadBlock();
        assertThat(ok.block(BlockType.HOP_COUNT).orElseThrow().number()).isEqualTo(3);

        assertThat(violation(ok.withBlock(new CanonicalBlock(99, 0, BlockFlags.NONE, CrcType.NONE, ByteSource.empty())),
                ValidationPolicy.STRICT)).isEqualTo(Violation.BLOCK_NUMBER_ZERO);
        assertThat(violation(ok.withoutBlock(1), ValidationPolicy.STRICT)).isEqualTo(Violation.NO_PAYLOAD_BLOCK);
        assertThat(violation(ok.withBlocks(List.of(payload, ok.blocks().get(0))), ValidationPolicy.STRICT))
                .isEqualTo(Violation.PAYLOAD_NOT_LAST);
        assertThat(violation(ok.withBlock(payload.withNumber(9)).withoutBlock(1), ValidationPolicy.STRICT))
                .isEqualTo(Violation.PAYLOAD_BLOCK_NUMBER);
        assertThat(violation(ok.withBlock(CanonicalBlock.hopCount(8, 5, 0, CrcType.CRC32C)), ValidationPolicy.DEFAULT))
                .isEqualTo(Violation.DUPLICATE_EXTENSION_BLOCK);
        assertThat(violation(ok.withBlock(CanonicalBlock.hopCount(3, 0, 0, CrcType.CRC32C)), ValidationPolicy.DEFAULT))
                .isEqualTo(Violation.MALFORMED_EXTENSION_BLOCK);
        assertThat(violation(ok.withBlock(CanonicalBlock.hopCount(3, 256, 0, CrcType.CRC32C)), ValidationPolicy.DEFAULT))
                .isEqualTo(Violation.MALFORMED_EXTENSION_BLOCK);
        assertThat(violation(base().creation(0, 1).build(), ValidationPolicy.DEFAULT)).isEqualTo(Violation.MISSING_BUNDLE_AGE);
        assertThat(violation(base().creation(0, 1).bundleAgeMs(0).build(), ValidationPolicy.STRICT)).isNull();
        assertThat(violation(base().flags(io.dtn7j.bundle.BundleFlags.ADMINISTRATIVE_RECORD
                | io.dtn7j.bundle.BundleFlags.REPORT_DELETION).build(), ValidationPolicy.DEFAULT))
                .isEqualTo(Violation.ADMIN_RECORD_REPORT_REQUESTED);
        Bundle anon = base().source(io.dtn7j.bundle.EndpointId.NONE).build();
        assertThat(violation(anon, ValidationPolicy.STRICT)).isNull(); // the builder set must-not-fragment
        assertThat(violation(anon.withPrimary(anon.primary().withFlags(io.dtn7j.bundle.BundleFlags.NONE)),
                ValidationPolicy.STRICT)).isEqualTo(Violation.ANONYMOUS_SOURCE_FRAGMENTABLE);
        assertThat(violation(anon.withBlock(payload.withFlags(BlockFlags.of(BlockFlags.REPORT_IF_UNPROCESSABLE))),
                ValidationPolicy.STRICT)).isEqualTo(Violation.BLOCK_REPORT_FLAG_FORBIDDEN);
        Bundle frag = base().fragment(new io.dtn7j.bundle.FragmentInfo(10, 11)).payload("ab").build();
        assertThat(violation(frag, ValidationPolicy.STRICT)).isEqualTo(Violation.FRAGMENT_RANGE);
        assertThat(violation(frag.withPrimary(frag.primary().withFragment(new io.dtn7j.bundle.FragmentInfo(10, 12))),
                ValidationPolicy.STRICT)).isNull();
        // reserved and unassigned flag bits are ignored
        assertThat(violation(base().flags(0x8 | 0x10 | 0x80 | (1L << 40)).build(), ValidationPolicy.STRICT)).isNull();
        assertThat(violation(ok.withBlock(payload.withFlags(BlockFlags.of(0x20 | 0x40 | (1L << 50)))), ValidationPolicy.STRICT))
                .isNull();
        assertThatThrownBy(() -> BundleCodec.decode(BundleCodec.encode(frag), DecodeOptions.DEFAULT))
                .isInstanceOf(InvalidBundleException.class).hasMessageContaining("exceeds the total ADU length");
    }
}
