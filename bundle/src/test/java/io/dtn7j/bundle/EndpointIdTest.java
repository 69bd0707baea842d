package io.dtn7j.bundle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointIdTest {

    @Test
    void dtnEndpoints() {
        EndpointId e = EndpointId.parse("dtn://node1/incoming");
        assertThat(e).isInstanceOf(DtnEndpointId.class);
        assertThat(e.uri()).isEqualTo("dtn://node1/incoming").isEqualTo(e.toString());
        assertThat(e.nodeName()).isEqualTo("node1");
        assertThat(e.nodeId()).isEqualTo(EndpointId.parse("dtn://node1/"));
        assertThat(e.isNodeId()).isFalse();
        assertThat(e.isSingleton()).isTrue();
        assertThat(e.isNone()).isFalse();
        assertThat(((DtnEndpointId) e).demux()).isEqualTo("incoming");
        assertThat(EndpointId.dtn("node1", "incoming")).isEqualTo(e);
        assertThat(EndpointId.parse("dtn://node1/").isNodeId()).isTrue();
        assertThat(EndpointId.parse("dtn://node1/a/b/c").nodeName()).isEqualTo("node1");
    }

    @Test
    void groupEndpointsAreNotSingletons() {
        EndpointId g = EndpointId.parse("dtn://group/~news");
        assertThat(g.isSingleton()).isFalse();
        assertThat(g.nodeName()).isEqualTo("group");
    }

    @Test
    void nodeIdWithoutSlashIsKeptAsWritten() {
        DtnEndpointId e = (DtnEndpointId) EndpointId.parse("dtn://node");
        assertThat(e.uri()).isEqualTo("dtn://node");
        assertThat(e.isMissingTrailingSlash()).isTrue();
        assertThat(e.isNodeId()).isTrue();
        assertThat(e.nodeName()).isEqualTo("node");
        assertThat(e.nodeId().uri()).isEqualTo("dtn://node");
        assertThat(((DtnEndpointId) EndpointId.parse("dtn://node/")).isMissingTrailingSlash()).isFalse();
    }

    @Test
    void none() {
        assertThat(EndpointId.parse("dtn:none")).isSameAs(EndpointId.NONE);
        assertThat(EndpointId.NONE.isNone()).isTrue();
        assertThat(EndpointId.NONE.uri()).isEqualTo("dtn:none");
        assertThat(EndpointId.NONE.isNodeId()).isFalse();
        assertThat(EndpointId.parse("ipn:0.0").isNone()).isTrue();
        assertThat(EndpointId.parse("ipn:0.1").isNone()).isFalse();
    }

    @Test
    void ipnEndpoints() {
        IpnEndpointId e = (IpnEndpointId) EndpointId.parse("ipn:23.42");
        assertThat(e.nodeNumber()).isEqualTo(23);
        assertThat(e.serviceNumber()).isEqualTo(42);
        assertThat(e.nodeName()).isEqualTo("23");
        assertThat(e.nodeId()).isEqualTo(EndpointId.ipn(23, 0));
        assertThat(e.nodeId().isNodeId()).isTrue();
        assertThat(EndpointId.ipn(23, 42)).isEqualTo(e);
        IpnEndpointId three = (IpnEndpointId) EndpointId.parse("ipn:977000.1.1");
        assertThat(three.threeElementForm()).isTrue();
        assertThat(three.uri()).isEqualTo("ipn:977000.1.1");
        assertThat(three.nodeName()).isEqualTo("977000.1");
        assertThat(three.nodeId().uri()).isEqualTo("ipn:977000.1.0");
        assertThat(EndpointId.parse("ipn:18446744073709551615.18446744073709551615").uri())
                .isEqualTo("ipn:18446744073709551615.18446744073709551615");
    }

    @Test
    void invalidEndpointsNameTheProblem() {
        assertThatThrownBy(() -> EndpointId.parse("http://x")).isInstanceOf(InvalidEndpointIdException.class)
                .hasMessageContaining("unknown URI scheme 'http'");
        assertThatThrownBy(() -> EndpointId.parse("node1")).hasMessageContaining("no URI scheme");
        assertThatThrownBy(() -> EndpointId.parse("dtn:node1/x")).hasMessageContaining("//node-name");
        assertThatThrownBy(() -> EndpointId.parse("dtn:///x")).hasMessageContaining("empty node name");
        assertThatThrownBy(() -> EndpointId.parse("dtn://no de/")).hasMessageContaining("not allowed in a node name");
        assertThatThrownBy(() -> EndpointId.parse("dtn://n/a b")).hasMessageContaining("demux");
        assertThatThrownBy(() -> EndpointId.parse("ipn:1")).hasMessageContaining("node.service");
        assertThatThrownBy(() -> EndpointId.parse("ipn:1.x")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> EndpointId.parse("ipn:01.1")).hasMessageContaining("leading zeros");
        assertThatThrownBy(() -> EndpointId.parse("ipn:18446744073709551616.1")).hasMessageContaining("64 bits");
        assertThatThrownBy(() -> EndpointId.parse("ipn:4294967296.1.1")).hasMessageContaining("4294967295");
        assertThatThrownBy(() -> EndpointId.parse(null)).isInstanceOf(InvalidEndpointIdException.class);
    }
}
