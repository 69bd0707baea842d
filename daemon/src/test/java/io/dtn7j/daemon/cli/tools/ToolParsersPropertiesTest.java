package io.dtn7j.daemon.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The tools' parsers of daemon replies and user input fail only with their typed errors. */
class ToolParsersPropertiesTest {

    @Property(tries = 2000)
    void wsRecvDataDecodingOfArbitraryBytesFailsOnlyWithApiException(@ForAll @Size(max = 300) byte[] data) {
        try {
            WsData.decodeRecv(data);
        } catch (ApiException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void mutatedWsRecvDataFailsOnlyWithApiException(@ForAll @IntRange(min = 0, max = 1000) int at, @ForAll byte value,
                                                     @ForAll @Size(max = 40) byte[] payload) {
        byte[] valid = new WsData.Recv("dtn://a/-1-0", "dtn://a/", "dtn://b/x", 1, 0, 3600, payload).encode();
        byte[] m = valid.clone();
        m[at % m.length] = value;
        try {
            WsData.decodeRecv(m);
            WsData.decodeRecv(java.util.Arrays.copyOf(valid, at % valid.length));
        } catch (ApiException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void wsDataRoundTrips(@ForAll @Size(max = 2000) byte[] payload, @ForAll @StringLength(max = 30) String name) throws Exception {
        WsData.Recv r = new WsData.Recv("dtn://n/" + name + "-5-1", "dtn://n/" + name, "dtn://m/", 5, 1, 86_400_000, payload);
        assertThat(WsData.decodeRecv(r.encode())).isEqualTo(r);
        WsData.Send s = new WsData.Send("dtn://n/ping", "dtn://m/echo", true, 1000, payload);
        WsData.Send back = WsData.decodeSend(s.encode());
        assertThat(back.data()).isEqualTo(payload);
        assertThat(back.deliveryNotification()).isTrue();
        assertThat(back.lifetimeMs()).isEqualTo(1000);
    }

    @Property(tries = 2000)
    void durationParsingFailsOnlyWithIllegalArgument(@ForAll @StringLength(max = 20) String text) {
        try {
            assertThat(Durations.parse(text)).isNotNull();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Test
    void durationsReadHumantimeSpellings() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("1h 30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2days")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("3")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Durations.parse("5 parsecs")).hasMessageContaining("unknown unit \"parsecs\"");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("empty");
    }

    @Test
    void rawQueriesKeepEidCharactersAndEscapeTheRest() {
        assertThat(DtnApiClient.rawQuery("dtn://helpers/~incoming")).isEqualTo("dtn://helpers/~incoming");
        assertThat(DtnApiClient.rawQuery("dtn://node1/-715345678123-0")).isEqualTo("dtn://node1/-715345678123-0");
        assertThat(DtnApiClient.rawQuery("a b#c")).isEqualTo("a%20b%23c");
    }
}
