package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** decode∘encode is the identity, over generated bundles. */
class RoundTripPropertiesTest {

    @Provide
    Arbitrary<Bundle> anyBundle() {
        return Generators.bundles();
    }

    @Provide
    Arbitrary<Bundle> validBundle() {
        return Generators.validBundles();
    }

    @Property(tries = 800)
    void decodeOfEncodeIsIdentity(@ForAll("anyBundle") Bundle b) throws IOException {
        byte[] enc = BundleCodec.encode(b);
        assertThat(BundleCodec.encodedSize(b)).isEqualTo(enc.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleCodec.encodeTo(b, out);
        assertThat(out.toByteArray()).isEqualTo(enc);

        Bundle d = BundleCodec.decode(enc, DecodeOptions.PARSE_ONLY);
        assertThat(d).isEqualTo(b);
        assertThat(d.id()).isEqualTo(b.id());
        // re-encoding the decoded bundle (from received bytes) and afresh both give the same bytes
        assertThat(BundleCodec.encode(d)).isEqualTo(enc);
        assertThat(BundleCodec.encode(d.withoutReceivedEncodings())).isEqualTo(enc);
    }

    @Property(tries = 500)
    void validBundlesPassStrictValidation(@ForAll("validBundle") Bundle b) {
        byte[] enc = BundleCodec.encode(b);
        List<Deviation> devs = new ArrayList<>();
        Bundle d = BundleCodec.decode(enc, new DecodeOptions(ValidationPolicy.STRICT, enc.length, (x, dv, s) -> devs.add(dv)));
        assertThat(d).isEqualTo(b);
        assertThat(devs).isEmpty();
        assertThat(d.payload()).isEqualTo(b.payload());
        assertThat(d.id().toString()).isEqualTo(b.id().toString());
    }

    @Property(tries = 200)
    void modifiedBlocksAreReencodedWithFreshCrcs(@ForAll("validBundle") Bundle b, @ForAll byte[] newPayload) {
        Bundle d = BundleCodec.decode(BundleCodec.encode(b), DecodeOptions.STRICT);
        if (d.isFragment()) {
            d = d.withPrimary(d.primary().withFragment(new io.dtn7j.bundle.FragmentInfo(0, newPayload.length + 1)));
            b = b.withPrimary(d.primary());
        }
        Bundle changed = d.withBlock(d.payloadBlock().withData(ByteSource.of(newPayload)));
        Bundle again = BundleCodec.decode(BundleCodec.encode(changed), DecodeOptions.STRICT);
        assertThat(again.payload()).isEqualTo(ByteSource.of(newPayload));
        assertThat(again.primary()).isEqualTo(b.primary());
    }
}
