package io.dtn7j.core.cla;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.cla.mtcp.MtcpFraming;
import io.dtn7j.core.cla.stcp.StcpFraming;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Property tests of the MTCP and STCP frame header parsers and of ClaAddress parsing. */
class FramingFuzzTest {

    @Property(tries = 3000)
    void mtcpArbitraryBytesGiveLengthsOrTypedErrors(@ForAll @Size(max = 12) byte[] bytes) {
        try {
            long n = MtcpFraming.readHeader(new ByteArrayInputStream(bytes), 1000);
            assertThat(n).isBetween(-1L, 1000L);
        } catch (FrameException | EOFException expected) {
            // typed
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Property(tries = 2000)
    void mtcpHeaderRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long length) throws Exception {
        byte[] h = MtcpFraming.header(length);
        assertThat(MtcpFraming.readHeader(new ByteArrayInputStream(h), Long.MAX_VALUE)).isEqualTo(length);
        assertThat(h.length).isEqualTo(length < 24 ? 1 : length < 256 ? 2 : length < 65536 ? 3 : length < (1L << 32) ? 5 : 9);
    }

    @Property(tries = 2000)
    void stcpArbitraryBytesGiveLengthsOrTypedErrors(@ForAll @Size(max = 6) byte[] bytes) {
        try {
            long n = StcpFraming.readHeader(new ByteArrayInputStream(bytes), 1000);
            assertThat(n).isBetween(-1L, 1000L);
        } catch (FrameException | EOFException expected) {
            // typed
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Property(tries = 1000)
    void stcpHeaderRoundTrips(@ForAll @LongRange(min = 0, max = 0xffffffffL) long length) throws Exception {
        assertThat(StcpFraming.readHeader(new ByteArrayInputStream(StcpFraming.header(length)), Long.MAX_VALUE))
                .isEqualTo(length);
    }

    @Property(tries = 2000)
    void claAddressParseNeverThrowsUntyped(@ForAll String text) {
        try {
            ClaAddress a = ClaAddress.parse(text);
            assertThat(ClaAddress.parse(a.toString())).isEqualTo(a);
        } catch (IllegalArgumentException expected) {
            // typed
        }
    }
}
