package io.dtn7j.core.api;

import io.dtn7j.bundle.EndpointId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UrisTest {

    private static final EndpointId DTN_NODE = EndpointId.parse("dtn://node1/");
    private static final EndpointId IPN_NODE = EndpointId.parse("ipn:23.0");

    @Test
    void nodeUris() {
        assertThat(Uris.nodeId("dtn://node1/").uri()).isEqualTo("dtn://node1/");
        assertThat(Uris.nodeId("dtn://node1").uri()).as("the missing slash is added").isEqualTo("dtn://node1/");
        assertThat(Uris.nodeId("ipn:23.0").uri()).isEqualTo("ipn:23.0");
    }

    @Test
    void badNodeUrisSayWhatToWrite() {
        assertThatThrownBy(() -> Uris.nodeId(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtn://node1/");
        assertThatThrownBy(() -> Uris.nodeId("node1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'node1' is not a valid node URI").hasMessageContaining("dtn://<name>/");
        assertThatThrownBy(() -> Uris.nodeId("dtn://node1/echo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names an endpoint on node dtn://node1/");
        assertThatThrownBy(() -> Uris.nodeId("ipn:23.7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ipn:23.0");
        assertThatThrownBy(() -> Uris.nodeId("ipn://12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ipn:12.0");
        assertThatThrownBy(() -> Uris.nodeId("dtn:none")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null endpoint");
        assertThatThrownBy(() -> Uris.nodeId("http://x/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtn://<name>/");
    }

    @Test
    void serviceNames() {
        assertThat(Uris.service(DTN_NODE, "echo").uri()).isEqualTo("dtn://node1/echo");
        assertThat(Uris.service(DTN_NODE, "my/custom/sub/endpoint").uri()).isEqualTo("dtn://node1/my/custom/sub/endpoint");
        assertThat(Uris.service(DTN_NODE, "dtn://node1/x").uri()).isEqualTo("dtn://node1/x");
        assertThat(Uris.service(IPN_NODE, "7").uri()).isEqualTo("ipn:23.7");
    }

    @Test
    void badServiceNamesSayWhatToDo() {
        assertThatThrownBy(() -> Uris.service(DTN_NODE, "")).hasMessageContaining("setup returned");
        assertThatThrownBy(() -> Uris.service(DTN_NODE, "/echo")).hasMessageContaining("\"echo\"");
        assertThatThrownBy(() -> Uris.service(DTN_NODE, "~news")).hasMessageContaining("registerGroup");
        assertThatThrownBy(() -> Uris.service(DTN_NODE, "a b")).hasMessageContaining("' '");
        assertThatThrownBy(() -> Uris.service(DTN_NODE, "dtn://node2/x")).hasMessageContaining("belongs to node dtn://node2/");
        assertThatThrownBy(() -> Uris.service(DTN_NODE, "dtn://global/~news")).hasMessageContaining("registerGroup");
        assertThatThrownBy(() -> Uris.service(DTN_NODE, "dtn://node1/")).hasMessageContaining("own endpoint");
        assertThatThrownBy(() -> Uris.service(IPN_NODE, "echo")).hasMessageContaining("ipn:23.7");
        assertThatThrownBy(() -> Uris.service(IPN_NODE, "0")).hasMessageContaining("service 0");
    }

    @Test
    void groupsAndDestinations() {
        assertThat(Uris.group("dtn://global/~news").uri()).isEqualTo("dtn://global/~news");
        assertThatThrownBy(() -> Uris.group("dtn://global/news")).hasMessageContaining("not a group endpoint");
        assertThatThrownBy(() -> Uris.group("ipn:1.2")).hasMessageContaining("not a group endpoint");
        assertThatThrownBy(() -> Uris.group("news")).hasMessageContaining("dtn://global/~news");
        assertThat(Destinations.parse("dtn://node2/echo").uri()).isEqualTo("dtn://node2/echo");
        assertThat(Destinations.parse("ipn:1.2").uri()).isEqualTo("ipn:1.2");
        assertThatThrownBy(() -> Destinations.parse("dtn:none")).hasMessageContaining("cannot be a destination");
        assertThatThrownBy(() -> Destinations.parse("node2/echo")).hasMessageContaining("dtn://node2/echo");
        assertThatThrownBy(() -> Destinations.parse(null)).hasMessageContaining("no destination");
    }

    /** Whatever text comes in, the answer is a value or an IllegalArgumentException with a message. */
    @Property(tries = 2000)
    void anyTextGivesAValueOrAnExplainedRejection(@ForAll String text) {
        for (Runnable r : new Runnable[] {() -> Uris.nodeId(text), () -> Uris.service(DTN_NODE, text),
                () -> Uris.service(IPN_NODE, text), () -> Uris.group(text), () -> Destinations.parse(text)}) {
            try {
                r.run();
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Property(tries = 500)
    void uriLikeTextToo(@ForAll("uriLike") String text) {
        anyTextGivesAValueOrAnExplainedRejection(text);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> uriLike() {
        return net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.strings().withChars("dtnip:/.~0123456789abc-_ ").ofMaxLength(20)
                        .map(s -> "dtn:" + s),
                net.jqwik.api.Arbitraries.strings().withChars("0123456789.:-/").ofMaxLength(20).map(s -> "ipn:" + s));
    }
}
