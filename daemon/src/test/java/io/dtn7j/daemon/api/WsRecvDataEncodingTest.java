package io.dtn7j.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code WsRecvData} as the WebSocket data (CBOR) mode sends it: byte-exact what dtnd's serde_cbor writes, a
 * definite-length map of six with minimally encoded integers (found with py-dtn7's DTNWSClient: dtn7j wrote an
 * indefinite-length map, which cbor2 reads but small decoders may not).
 */
class WsRecvDataEncodingTest {

    private static byte[] text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        out[0] = (byte) (0x60 + b.length); // all strings here are shorter than 24 bytes
        System.arraycopy(b, 0, out, 1, b.length);
        return out;
    }

    @Test
    void cborIsADefiniteMapOfSixInDtndsKeyOrder() throws Exception {
        ReceivedBundle b = new ReceivedBundle("dtn://n/-1-0", "dtn://n/", "dtn://n/a", 1, 0, 60_000, false,
                "hi".getBytes(StandardCharsets.UTF_8), new byte[0]);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0xa6);
        for (String[] kv : new String[][] {{"bid", "dtn://n/-1-0"}, {"src", "dtn://n/"}, {"dst", "dtn://n/a"}}) {
            expected.write(text(kv[0]));
            expected.write(text(kv[1]));
        }
        expected.write(text("cts"));
        expected.write(new byte[] {(byte) 0x82, 0x01, 0x00});
        expected.write(text("lifetime"));
        expected.write(new byte[] {0x19, (byte) 0xea, 0x60});
        expected.write(text("data"));
        expected.write(new byte[] {0x42, 'h', 'i'});
        assertThat(HexFormat.of().formatHex(WsSession.encode(b, true)))
                .isEqualTo(HexFormat.of().formatHex(expected.toByteArray()));
    }

    @Test
    void largeValuesRoundTrip() throws Exception {
        byte[] payload = new byte[70_000];
        payload[69_999] = 7;
        ReceivedBundle b = new ReceivedBundle("dtn://node1/in-848866715431-12", "dtn://node1/in", "dtn://node2/x",
                848_866_715_431L, 12, 86_400_000L, false, payload, new byte[0]);
        byte[] cbor = WsSession.encode(b, true);
        assertThat(cbor[0] & 0xff).isEqualTo(0xa6);
        JsonNode n = Json.CBOR.readTree(cbor);
        assertThat(List.of(n.fieldNames().next(), n.get("bid").asText(), n.get("src").asText(), n.get("dst").asText()))
                .containsExactly("bid", "dtn://node1/in-848866715431-12", "dtn://node1/in", "dtn://node2/x");
        assertThat(n.get("cts").get(0).asLong()).isEqualTo(848_866_715_431L);
        assertThat(n.get("cts").get(1).asLong()).isEqualTo(12);
        assertThat(n.get("lifetime").asLong()).isEqualTo(86_400_000L);
        assertThat(n.get("data").binaryValue()).isEqualTo(payload);
        // JSON mode is unchanged: base64 data
        assertThat(new String(WsSession.encode(b, false), StandardCharsets.UTF_8)).startsWith(
                "{\"bid\":\"dtn://node1/in-848866715431-12\",\"src\":\"dtn://node1/in\",\"dst\":\"dtn://node2/x\","
                        + "\"cts\":[848866715431,12],\"lifetime\":86400000,\"data\":\"");
    }
}
