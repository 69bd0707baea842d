package io.dtn7j.bundle.cbor;

import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.BundleDecodeException.Reason;
import io.dtn7j.bundle.ByteSource;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.dtn7j.bundle.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CborReaderTest {

    private static Reason reasonOf(Runnable r) {
        try {
            r.run();
        } catch (BundleDecodeException e) {
            return e.reason();
        }
        throw new AssertionError("no BundleDecodeException");
    }

    @Test
    void integersMustBeShortest() {
        assertThat(new CborReader(hex("17")).readUnsigned("x")).isEqualTo(23);
        assertThat(new CborReader(hex("1818")).readUnsigned("x")).isEqualTo(24);
        assertThat(new CborReader(hex("1bffffffffffffffff")).readUnsigned("x")).isEqualTo(-1L);
        for (String h : new String[] {"1817", "1900ff", "1a0000ffff", "1b00000000ffffffff"}) {
            assertThat(reasonOf(() -> new CborReader(hex(h)).readUnsigned("x"))).as(h).isEqualTo(Reason.NON_CANONICAL_CBOR);
        }
        assertThat(reasonOf(() -> new CborReader(hex("1c")).readUnsigned("x"))).isEqualTo(Reason.MALFORMED_CBOR);
        assertThat(reasonOf(() -> new CborReader(hex("1f")).readUnsigned("x"))).isEqualTo(Reason.MALFORMED_CBOR);
        assertThat(reasonOf(() -> new CborReader(hex("19ff")).readUnsigned("x"))).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf(() -> new CborReader(hex("20")).readUnsigned("x"))).isEqualTo(Reason.WRONG_STRUCTURE);
        assertThat(reasonOf(() -> new CborReader(hex("1864")).readUnsigned("x", 99))).isEqualTo(Reason.WRONG_STRUCTURE);
    }

    @Test
    void lengthsAreCheckedBeforeAnythingIsAllocated() {
        // a byte string, a text string and an array claiming 2^63 elements in 9 bytes of input
        assertThat(reasonOf(() -> new CborReader(hex("5b7fffffffffffffff")).readByteString("x"))).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf(() -> new CborReader(hex("7b7fffffffffffffff")).readTextString("x"))).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf(() -> new CborReader(hex("9b7fffffffffffffff")).readArrayHeader("x", false))).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf(() -> new CborReader(hex("bb7fffffffffffffff")).skipItem())).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf(() -> new CborReader(hex("5bffffffffffffffff")).skipItem())).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf(() -> new CborReader(hex("43aabb")).readByteString("x"))).isEqualTo(Reason.TRUNCATED);
        // lengths of 2^63 and more must not be taken for "indefinite" (found by the mutation fuzz test)
        assertThat(reasonOf(() -> new CborReader(hex("9bb6776d9bc07b489f")).readArrayHeader("x", true))).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf(() -> new CborReader(hex("5bffffffffffffffff41aaff")).skipItem())).isEqualTo(Reason.TRUNCATED);
        assertThat(reasonOf(() -> new CborReader(hex("bbffffffffffffffffff")).skipItem())).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void indefiniteLengthsOnlyWhereAllowed() {
        assertThat(new CborReader(hex("9fff")).readArrayHeader("x", true)).isEqualTo(-1);
        assertThat(reasonOf(() -> new CborReader(hex("9fff")).readArrayHeader("x", false))).isEqualTo(Reason.NON_CANONICAL_CBOR);
        assertThat(reasonOf(() -> new CborReader(hex("5f41aaff")).readByteString("x"))).isEqualTo(Reason.NON_CANONICAL_CBOR);
        CborReader r = new CborReader(hex("5f41aa42bbccff01"));
        r.skipItem(); // well-formed indefinite byte string can be skipped
        assertThat(r.readUnsigned("x")).isEqualTo(1);
        assertThat(reasonOf(() -> new CborReader(hex("5f61aaff")).skipItem())).isEqualTo(Reason.MALFORMED_CBOR);
    }

    @Test
    void textMustBeUtf8() {
        assertThat(new CborReader(hex("63e282ac")).readTextString("x")).isEqualTo("\u20ac");
        assertThat(reasonOf(() -> new CborReader(hex("62c328")).readTextString("x"))).isEqualTo(Reason.MALFORMED_CBOR);
    }

    @Test
    void skipItemHandlesEveryTypeAndLimitsDepth() {
        CborReader r = new CborReader(hex("a101820203c0f5f93c00fb3ff0000000000000f8ff" + "07"));
        r.skipItem(); // map
        r.skipItem(); // tag(0) true
        r.skipItem(); // half float
        r.skipItem(); // double
        r.skipItem(); // simple(255)
        assertThat(r.readUnsigned("x")).isEqualTo(7);
        assertThat(r.atEnd()).isTrue();
        String deep = "81".repeat(CborReader.MAX_DEPTH + 2) + "00";
        assertThat(reasonOf(() -> new CborReader(hex(deep)).skipItem())).isEqualTo(Reason.MALFORMED_CBOR);
        assertThat(reasonOf(() -> new CborReader(hex("f817")).skipItem())).isEqualTo(Reason.MALFORMED_CBOR);
        assertThat(reasonOf(() -> new CborReader(hex("ff")).skipItem())).isEqualTo(Reason.MALFORMED_CBOR);
    }

    @Test
    void positionsCountFromTheRangeStart() {
        byte[] b = hex("ffff0102ff");
        CborReader r = new CborReader(b, 2, 2);
        assertThat(r.position()).isZero();
        assertThat(r.readUnsigned("x")).isEqualTo(1);
        assertThat(r.position()).isEqualTo(1);
        assertThat(r.readUnsigned("x")).isEqualTo(2);
        assertThat(r.atEnd()).isTrue();
        BundleDecodeException e = org.assertj.core.api.Assertions.catchThrowableOfType(BundleDecodeException.class,
                () -> r.readUnsigned("next"));
        assertThat(e.offset()).isEqualTo(2);
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void windowedReaderSkipsLargeStringsWithoutReadingThem() throws Exception {
        Path f = Files.createTempFile("cbor", ".bin");
        try {
            CborWriter w = new CborWriter();
            w.writeArrayHeader(3).writeByteStringHeader(300_000);
            byte[] head = w.toByteArray();
            byte[] all = new byte[head.length + 300_000 + 2];
            System.arraycopy(head, 0, all, 0, head.length);
            all[all.length - 2] = 0x05;
            all[all.length - 1] = 0x06;
            Files.write(f, all);
            CborReader r = CborReader.over(ByteSource.ofFile(f));
            assertThat(r.array()).isNull();
            assertThat(r.readArrayHeader("a", false)).isEqualTo(3);
            long n = r.readByteStringHeader("b");
            r.skipBytes(n);
            assertThat(r.readUnsigned("c")).isEqualTo(5);
            assertThat(r.readUnsigned("d")).isEqualTo(6);
            assertThat(r.atEnd()).isTrue();
            assertThatThrownBy(() -> r.readUnsigned("e")).isInstanceOf(BundleDecodeException.class);
        } finally {
            Files.delete(f);
        }
    }

    @Property(tries = 300)
    void writerUsesShortestFormsAndReaderReadsThemBack(@ForAll long v, @ForAll String s, @ForAll byte[] bytes) {
        CborWriter w = new CborWriter(1);
        w.writeUnsigned(v).writeTextString(s).writeByteString(bytes);
        assertThat(w.size()).isEqualTo(CborWriter.headSize(v) + CborWriter.textSize(s)
                + CborWriter.headSize(bytes.length) + bytes.length);
        CborReader r = new CborReader(w.toByteArray());
        assertThat(r.readUnsigned("v")).isEqualTo(v);
        boolean validUtf16 = s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF);
        if (validUtf16) {
            assertThat(r.readTextString("s")).isEqualTo(s);
        } else {
            r.skipItem();
        }
        assertThat(r.readByteString("b")).isEqualTo(bytes);
        assertThat(r.atEnd()).isTrue();
    }
}
