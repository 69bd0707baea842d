package io.dtn7j.core.cla.tcpcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.core.cla.tcpcl.TcpclMessage.SessInit;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferAck;
import io.dtn7j.core.cla.tcpcl.TcpclMessage.XferSegment;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Property tests of the TCPCLv4 message parser: arbitrary bytes give typed errors; messages round-trip. */
class TcpclFuzzTest {

    @Property(tries = 3000)
    void arbitraryBytesGiveMessagesOrTypedErrors(@ForAll @Size(max = 200) byte[] bytes) {
        TcpclMessageReader r = new TcpclMessageReader(new ByteArrayInputStream(bytes), 64, 256);
        try {
            for (int i = 0; i < 50; i++) {
                TcpclMessage m = r.readMessage();
                if (m instanceof XferSegment s) {
                    assertThat(s.dataLength()).isBetween(0L, 64L);
                    r.in().skipNBytes(Math.min(s.dataLength(), r.in().available()));
                }
            }
        } catch (TcpclProtocolException | EOFException expected) {
            // typed error
        } catch (Exception e) {
            throw new AssertionError("untyped failure on " + java.util.HexFormat.of().formatHex(bytes), e);
        }
    }

    @Property(tries = 2000)
    void mutatedValidMessagesGiveTypedErrors(@ForAll("messages") TcpclMessage m, @ForAll @IntRange(min = 0, max = 63) int pos,
                                             @ForAll byte value) {
        byte[] wire = m.encode();
        wire[pos % wire.length] = value;
        TcpclMessageReader r = new TcpclMessageReader(new ByteArrayInputStream(wire), 1 << 20, 1024);
        try {
            r.readMessage();
        } catch (TcpclProtocolException | EOFException expected) {
            // typed error
        } catch (Exception e) {
            throw new AssertionError("untyped failure", e);
        }
    }

    @Property(tries = 1000)
    void messagesRoundTrip(@ForAll("messages") TcpclMessage m) throws Exception {
        TcpclMessageReader r = new TcpclMessageReader(new ByteArrayInputStream(m.encode()), Long.MAX_VALUE, 1 << 20);
        assertThat(r.readMessage()).isEqualTo(m);
    }

    @Provide
    Arbitrary<TcpclMessage> messages() {
        Arbitrary<ExtensionItem> item = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 0xffff), Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
                .as(ExtensionItem::new);
        Arbitrary<List<ExtensionItem>> items = item.list().ofMaxSize(3).map(ArrayList::new);
        Arbitrary<TcpclMessage> init = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 0xffff),
                Arbitraries.longs(), Arbitraries.longs(), Arbitraries.strings().ofMaxLength(30), items)
                .as(SessInit::new);
        Arbitrary<TcpclMessage> seg = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 255),
                Arbitraries.longs(), items, Arbitraries.longs().between(0, 1 << 20))
                .as((f, id, ex, len) -> new XferSegment(f, id, (f & XferSegment.FLAG_START) != 0 ? ex : List.of(), len));
        Arbitrary<TcpclMessage> ack = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 255),
                Arbitraries.longs(), Arbitraries.longs()).as(XferAck::new);
        Arbitrary<TcpclMessage> small = Arbitraries.of(new TcpclMessage.Keepalive(),
                new TcpclMessage.SessTerm(1, 3), new TcpclMessage.MsgReject(1, 9), new TcpclMessage.XferRefuse(6, 42));
        return Arbitraries.oneOf(init, seg, ack, small);
    }
}
