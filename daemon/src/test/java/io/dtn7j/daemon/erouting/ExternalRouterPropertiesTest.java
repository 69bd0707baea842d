package io.dtn7j.daemon.erouting;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.daemon.api.Json;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Whatever an external router sends never gets an exception out of the daemon's side; the JSON shapes hold. */
class ExternalRouterPropertiesTest {
    private final ExternalRouter router = new ExternalRouter(null, Duration.ofMillis(10));
    private final EroutingSession session = new EroutingSession(router);

    @Property(tries = 2000)
    void arbitraryTextIsHandled(@ForAll @StringLength(max = 120) String s) {
        router.received(session, s);
    }

    @Provide
    Arbitrary<String> mutated() {
        List<String> valid = List.of(
                "{\"type\":\"ResponseSenderForBundle\",\"bp\":{\"id\":\"dtn://a/-1-0\"},\"clas\":[{\"remote\":{\"Ip\":\"1.2.3.4\"},"
                        + "\"port\":1,\"agent\":\"mtcp\",\"next_hop\":[1,\"//b/\"]}],\"delete_afterwards\":true}",
                "{\"type\":\"ServiceAdd\",\"tag\":63,\"service\":\"x\"}");
        return Arbitraries.of(valid).flatMap(v -> Arbitraries.integers().between(0, v.length() - 1).flatMap(i ->
                Arbitraries.strings().ofMaxLength(6).withChars("{}[]\",:01-9az /").map(ins ->
                        v.substring(0, i) + ins + v.substring(Math.min(v.length(), i + ins.length() % 3)))));
    }

    @Property(tries = 2000)
    void mutatedPacketsAreHandled(@ForAll("mutated") String s) {
        router.received(session, s);
    }

    @Test
    void bundlePackHasDtndsFields() throws Exception {
        BundleId id = BundleId.parse("dtn://node1/app-715345678123-3");
        BundleMetadata md = new BundleMetadata(id, EndpointId.parse("ipn:23.42"), EndpointId.parse("dtn://node1/app"),
                0x02, 3_600_000, 0, 715_345_678_200L, -1, 105, EnumSet.of(Constraint.FORWARD_PENDING), Set.of(), -1, null);
        String json = ExternalRouter.bundlePack(md).toString();
        assertThat(json).isEqualTo("{\"source\":[1,\"//node1/app\"],\"destination\":[2,[23,42]],"
                + "\"received_time\":1662030478200,\"creation_time\":715345678123,\"lifetime\":3600000,"
                + "\"id\":\"dtn://node1/app-715345678123-3\",\"administrative\":true,\"size\":105,"
                + "\"constraints\":[\"ForwardPending\"]}");
    }

    @Test
    void incomingBundleIsTheCborStructureWithByteStringsAsNumberArrays() throws Exception {
        Bundle b = Bundle.builder().source("dtn://a/").destination("dtn://b/x").creation(1000, 2).lifetimeMs(60_000)
                .payload("hi").build();
        String json = Json.compact(ExternalRouter.bundleJson(b));
        assertThat(json).startsWith("[[7,").contains("[1,\"//b/x\"]", "[1,\"//a/\"]", "[1000,2]", "[104,105]");
    }
}
