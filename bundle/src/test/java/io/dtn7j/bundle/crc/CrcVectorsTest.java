package io.dtn7j.bundle.crc;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.Vectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.dtn7j.bundle.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** crc.json: message vectors, block vectors and the CRC-32 pitfall. */
class CrcVectorsTest {
    private static final JsonNode CRC = Vectors.load("crc.json");

    private static String hex16(int v) {
        return String.format("%04x", v & 0xffff);
    }

    private static String hex32(int v) {
        return String.format("%08x", v);
    }

    @TestFactory
    Stream<DynamicTest> messageVectors() {
        return Vectors.list(CRC.get("message_vectors")).stream().map(v -> DynamicTest.dynamicTest(v.path("label").asText(v.get("input_hex").asText()), () -> {
            byte[] in = hex(v.get("input_hex").asText());
            assertThat(hex16(Crc16X25.compute(in, 0, in.length))).isEqualTo(v.get("crc16_x25").asText());
            assertThat(hex32(Crc32c.compute(in, 0, in.length))).isEqualTo(v.get("crc32c").asText());
            // byte-at-a-time updates give the same
            Crc16X25 c16 = new Crc16X25();
            Crc32c c32 = new Crc32c();
            for (byte b : in) {
                c16.update(new byte[] {b}, 0, 1);
                c32.update(new byte[] {b}, 0, 1);
            }
            assertThat(hex16(c16.value())).isEqualTo(v.get("crc16_x25").asText());
            assertThat(hex32(c32.value())).isEqualTo(v.get("crc32c").asText());
        }));
    }

    @TestFactory
    Stream<DynamicTest> blockVectors(@TempDir Path dir) {
        List<JsonNode> blocks = Vectors.list(CRC.get("block_vectors"));
        assertThat(blocks).hasSize(20);
        return blocks.stream().map(v -> DynamicTest.dynamicTest(v.get("label").asText(), () -> {
            CrcType type = CrcType.ofCode(v.get("crc_type").asInt());
            byte[] block = hex(v.get("block_hex").asText());
            byte[] zeroed = hex(v.get("block_with_zeroed_crc_hex").asText());
            String crc = v.get("crc_hex").asText();
            String computed = type == CrcType.CRC16 ? hex16(BlockCrc.compute(type, block, 0, block.length))
                    : hex32(BlockCrc.compute(type, block, 0, block.length));
            assertThat(computed).isEqualTo(crc);
            // the CRC value bytes do not matter: the zeroed block gives the same CRC
            assertThat(BlockCrc.compute(type, zeroed, 0, zeroed.length)).isEqualTo(BlockCrc.compute(type, block, 0, block.length));
            assertThat(hex(block)).endsWith(crc);
            assertThat(BlockCrc.get(type, block, block.length - type.width())).isEqualTo(BlockCrc.compute(type, block, 0, block.length));
            // streaming over a file gives the same
            Path f = Files.createTempFile(dir, "block", ".bin");
            Files.write(f, block);
            assertThat(BlockCrc.compute(type, ByteSource.ofFile(f))).isEqualTo(BlockCrc.compute(type, block, 0, block.length));
        }));
    }

    @Test
    void crc32cIsNotZlibCrc32() {
        byte[] in = "123456789".getBytes();
        java.util.zip.CRC32 zlib = new java.util.zip.CRC32();
        zlib.update(in);
        JsonNode pit = CRC.get("pitfalls").get(0);
        assertThat(String.format("%08x", zlib.getValue())).isEqualTo(pit.get("crc32_iso_hdlc").asText());
        assertThat(hex32(Crc32c.compute(in, 0, in.length))).isEqualTo(pit.get("crc32c").asText());
        for (JsonNode p : pit.has("inputs") ? pit.get("inputs") : CRC.get("pitfalls").get(1).get("inputs")) {
            byte[] b = p.has("input_hex") ? hex(p.get("input_hex").asText()) : p.get("input_ascii").asText().getBytes();
            assertThat(hex32(Crc32c.compute(b, 0, b.length))).isEqualTo(p.get("crc32c_correct").asText());
        }
    }

    @Test
    void zerosUpdateEqualsExplicitZeros() {
        byte[] z = new byte[7];
        assertThat(new Crc16X25().updateZeros(7).value()).isEqualTo(Crc16X25.compute(z, 0, 7));
        assertThat(new Crc32c().updateZeros(7).value()).isEqualTo(Crc32c.compute(z, 0, 7));
    }
}
