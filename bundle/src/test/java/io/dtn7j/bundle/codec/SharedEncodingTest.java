package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.BlockType;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CompositeByteSourceTest;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.EndpointId;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BundleCodec#encodeShared}: the same bytes as {@link BundleCodec#encode}, large data referenced instead of
 * copied, and a bundle that re-encodes its unchanged blocks from those bytes; decoding a source made of parts checks
 * the CRCs exactly as decoding one array does.
 */
class SharedEncodingTest {

    @Provide
    Arbitrary<Bundle> anyBundle() {
        return Generators.bundles();
    }

    /** {@code b} with a payload of {@code size} random bytes, split into parts by {@code seed}. */
    static Bundle withPayload(Bundle b, int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        CanonicalBlock p = b.payloadBlock();
        ByteSource payload = seed % 3 == 0 ? ByteSource.of(data) : CompositeByteSourceTest.split(data, seed);
        return b.withBlock(new CanonicalBlock(BlockType.PAYLOAD, 1, p.flags(), p.crcType(), payload));
    }

    @Property(tries = 150)
    void sameBytesAsEncode(@ForAll("anyBundle") Bundle generated, @ForAll @IntRange(min = 0, max = 3) int kind,
                           @ForAll long seed) {
        int[] sizes = {0, 100, 20_000, 70_000};
        Bundle b = withPayload(generated, sizes[kind], seed);
        byte[] expected = BundleCodec.encode(b);
        EncodedBundle shared = BundleCodec.encodeShared(b);
        assertThat(shared.bytes().size()).isEqualTo(expected.length);
        assertThat(shared.bytes().toByteArray()).isEqualTo(expected);
        assertThat(shared.bundle()).isEqualTo(b);
        assertThat(BundleCodec.encodeGathered(b).toByteArray()).isEqualTo(expected);
        if (b.payload().segments().stream().anyMatch(seg -> seg.size() > 16 * 1024)) {
            assertThat(shared.bytes().hasArray()).as("a large payload is referenced, not copied").isFalse();
        }
        // the remembering bundle encodes to the same bytes from its remembered encodings
        assertThat(BundleCodec.encode(shared.bundle())).isEqualTo(expected);
        assertThat(BundleCodec.encodeShared(shared.bundle()).bytes().toByteArray()).isEqualTo(expected);
        for (int i = 0; i < b.blocks().size(); i++) {
            assertThat(shared.bundle().receivedEncoding(i)).isPresent();
        }
        // decoding the parts gives the bundle back (CRCs checked over the parts)
        Bundle decoded = BundleCodec.decode(shared.bytes(), DecodeOptions.PARSE_ONLY);
        assertThat(decoded).isEqualTo(b);
        assertThat(BundleCodec.encodeShared(decoded).bytes().toByteArray()).isEqualTo(expected);
        // a changed copy (as forwarding makes it): changed blocks fresh, the rest from the remembered bytes
        Bundle changed = shared.bundle().withBlock(CanonicalBlock.previousNode(shared.bundle().nextBlockNumber(),
                EndpointId.parse("dtn://forwarder/"), CrcType.CRC32C));
        Bundle fresh = b.withoutReceivedEncodings().withBlock(CanonicalBlock.previousNode(b.nextBlockNumber(),
                EndpointId.parse("dtn://forwarder/"), CrcType.CRC32C));
        assertThat(BundleCodec.encodeShared(changed).bytes().toByteArray()).isEqualTo(BundleCodec.encode(fresh));
        assertThat(BundleCodec.encodeGathered(changed).toByteArray()).isEqualTo(BundleCodec.encode(fresh));
        Bundle changedDecoded = decoded.withBlock(CanonicalBlock.previousNode(decoded.nextBlockNumber(),
                EndpointId.parse("dtn://forwarder/"), CrcType.CRC32C));
        assertThat(BundleCodec.encodeShared(changedDecoded).bytes().toByteArray()).isEqualTo(BundleCodec.encode(fresh));
    }

    @Property(tries = 60)
    void corruptionInAnyPartFailsTheCrc(@ForAll @IntRange(min = 1, max = 2) int crcCode, @ForAll long seed,
                                        @ForAll @IntRange(min = 0, max = 69_999) int flip) {
        Bundle b = withPayload(Bundle.builder().source("dtn://a/x").destination("dtn://b/y")
                .crcType(CrcType.ofCode(crcCode)).creation(5, 1).payload(new byte[1]).build(), 70_000, seed);
        byte[] enc = BundleCodec.encode(b);
        int payloadAt = enc.length - 1 - (crcCode == 1 ? 3 : 5) - 70_000;
        enc[payloadAt + flip] ^= 0x10;
        ByteSource parts = CompositeByteSourceTest.split(enc, seed);
        assertThatThrownBy(() -> BundleCodec.decode(parts, DecodeOptions.DEFAULT))
                .isInstanceOfSatisfying(BundleDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(BundleDecodeException.Reason.CRC_MISMATCH));
    }

    @Test
    void fileBackedPayloadIsReferencedAndItsCrcComputedOnce(@TempDir Path dir) throws IOException {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Path f = dir.resolve("payload");
        Files.write(f, data);
        Bundle b = Bundle.builder().source("dtn://a/x").destination("dtn://b/y").crcType(CrcType.CRC32C)
                .creation(5, 1).payload(ByteSource.ofFile(f)).hopLimit(5).build();
        EncodedBundle shared = BundleCodec.encodeShared(b);
        assertThat(shared.bytes().isInHeap()).isFalse();
        assertThat(shared.bytes().segments()).anySatisfy(s -> assertThat(s.isInHeap()).isFalse());
        byte[] expected = BundleCodec.encode(b);
        assertThat(shared.bytes().toByteArray()).isEqualTo(expected);
        Bundle decoded = BundleCodec.decode(ByteSource.of(expected), DecodeOptions.STRICT);
        assertThat(decoded.payload()).isEqualTo(ByteSource.of(data));
    }
}
