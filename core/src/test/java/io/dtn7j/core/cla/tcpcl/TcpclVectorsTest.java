package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.core.cla.tcpcl.TcpclMessage.Keepalive;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.MsgReject;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessInit;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessTerm;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferAck;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferRefuse;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferSegment;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Byte-level checks of every TCPCLv4 message against the published vectors (tcpclv4.json). */
class TcpclVectorsTest {

    static final Map<String, byte[]> VECTORS = new LinkedHashMap<>();
    static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void load() throws Exception {
        String json;
        try (InputStream in = TcpclVectorsTest.class.getResourceAsStream("/vectors/tcpclv4.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("\"id\":\\s*\"([^\"]+)\",\\s*\"hex\":\\s*\"([0-9a-f]*)\"").matcher(json);
        while (m.find()) {
            VECTORS.put(m.group(1), HexFormat.of().parseHex(m.group(2)));
        }
        assertThat(VECTORS).hasSize(15);
    }

    static TcpclMessage parse(byte[] bytes, int dataLength) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        TcpclMessageReader r = new TcpclMessageReader(in, 1 << 20, 1 << 16);
        TcpclMessage m = r.readMessage();
        assertThat(in.available()).as("only segment data left").isEqualTo(dataLength);
        return m;
    }

    void check(String id, TcpclMessage expected, byte[] data) throws Exception {
        byte[] wire = VECTORS.get(id);
        int dataLength = data == null ? 0 : data.length;
        assertThat(parse(wire, dataLength)).as(id).isEqualTo(expected);
        byte[] encoded = expected.encode();
        byte[] full = new byte[encoded.length + dataLength];
        System.arraycopy(encoded, 0, full, 0, encoded.length);
        if (data != null) {
            System.arraycopy(data, 0, full, encoded.length, data.length);
        }
        assertThat(HexFormat.of().formatHex(full)).as(id).isEqualTo(HexFormat.of().formatHex(wire));
    }

    @Test
    void contactHeaders() throws Exception {
        assertThat(ContactHeader.decode(VECTORS.get("contact-header-no-tls"))).isEqualTo(ContactHeader.v4(false));
        assertThat(ContactHeader.decode(VECTORS.get("contact-header-can-tls"))).isEqualTo(ContactHeader.v4(true));
        assertThat(ContactHeader.v4(true).encode()).isEqualTo(VECTORS.get("contact-header-can-tls"));
        assertThat(ContactHeader.v4(false).encode()).isEqualTo(VECTORS.get("contact-header-no-tls"));
        assertThat(ContactHeader.v4(true).canTls()).isTrue();
        assertThatThrownBy(() -> ContactHeader.decode(HexFormat.of().parseHex("64746e220400")))
                .isInstanceOf(TcpclProtocolException.class)
                .extracting(e -> ((TcpclProtocolException) e).kind()).isEqualTo(TcpclProtocolException.Kind.BAD_MAGIC);
    }

    @Test
    void sessInit() throws Exception {
        check("sess-init-no-ext", new SessInit(300, 1024, 10240, "hello", List.of()), null);
        check("sess-init-critical-ext", new SessInit(300, 1024, 10240, "hello",
                List.of(new ExtensionItem(1, 0xfffe, "exthi".getBytes(StandardCharsets.UTF_8)))), null);
        assertThat(((SessInit) parse(VECTORS.get("sess-init-critical-ext"), 0)).extensions().get(0).critical()).isTrue();
    }

    @Test
    void sessTermKeepaliveRefuseReject() throws Exception {
        check("sess-term-unknown", new SessTerm(0, SessTerm.REASON_UNKNOWN), null);
        check("sess-term-busy", new SessTerm(0, SessTerm.REASON_BUSY), null);
        check("sess-term-reply-contact-failure", new SessTerm(SessTerm.FLAG_REPLY, SessTerm.REASON_CONTACT_FAILURE), null);
        assertThat(((SessTerm) parse(VECTORS.get("sess-term-reply-contact-failure"), 0)).reply()).isTrue();
        check("keepalive", new Keepalive(), null);
        check("xfer-refuse-no-resources", new XferRefuse(XferRefuse.REASON_NO_RESOURCES, 1234), null);
        check("msg-reject-unsupported-sess-init", new MsgReject(MsgReject.REASON_UNSUPPORTED, TcpclMessage.SESS_INIT), null);
    }

    @Test
    void segmentsAndAck() throws Exception {
        check("xfer-segment-start-no-ext", new XferSegment(XferSegment.FLAG_START, 1234, List.of(), 5), HELLO);
        check("xfer-segment-start-transfer-length", new XferSegment(XferSegment.FLAG_START, 1234,
                List.of(ExtensionItem.transferLength(800)), 5), HELLO);
        check("xfer-segment-middle", new XferSegment(0, 1234, List.of(), 5), HELLO);
        check("xfer-segment-end", new XferSegment(XferSegment.FLAG_END, 1234, List.of(), 5), HELLO);
        check("xfer-ack-end", new XferAck(XferSegment.FLAG_END, 1234, 43210), null);
        XferSegment s = (XferSegment) parse(VECTORS.get("xfer-segment-start-transfer-length"), 5);
        assertThat(s.start()).isTrue();
        assertThat(s.end()).isFalse();
        assertThat(s.extensions().get(0).transferLengthValue()).hasValue(800);
    }

    @Test
    void segmentDataAboveMruIsRefusedBeforeReading() {
        byte[] wire = VECTORS.get("xfer-segment-end");
        assertThatThrownBy(() -> new TcpclMessageReader(new ByteArrayInputStream(wire), 4, 1024).readMessage())
                .isInstanceOf(TcpclProtocolException.class)
                .extracting(e -> ((TcpclProtocolException) e).kind()).isEqualTo(TcpclProtocolException.Kind.TOO_LARGE);
    }
}
