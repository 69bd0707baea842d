package io.dtn7j.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.bundle.EndpointId;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rough throughput of the beacon codec (run with {@code -Ddtn7j.slow=true}); prints beacons/s for encoding,
 * decoding valid beacons and rejecting random garbage.
 */
@EnabledIfSystemProperty(named = "dtn7j.slow", matches = "true")
class BeaconCodecThroughputTest {

    @Test
    void measure() throws Exception {
        Beacon b = Beacon.of(EndpointId.parse("dtn://node1/"), 12345,
                List.of(ClaAdvertisement.of("mtcp", 16162), ClaAdvertisement.of("tcp", 4556), ClaAdvertisement.of("http", 3000)),
                List.of(new BeaconService(BeaconService.TAG_BATTERY, new byte[] {75})), OptionalLong.of(2));
        byte[] bytes = BeaconCodec.encode(b);
        byte[][] garbage = new byte[1024][];
        Random r = new Random(1);
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[1 + r.nextInt(200)];
            r.nextBytes(garbage[i]);
        }
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            int n = 300_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += BeaconCodec.encode(b).length;
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += BeaconCodec.decode(bytes).sequenceNumber();
            }
            long t2 = System.nanoTime();
            int rejected = 0;
            for (int i = 0; i < n; i++) {
                try {
                    BeaconCodec.decode(garbage[i & 1023]);
                } catch (BeaconDecodeException e) {
                    rejected++;
                }
            }
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "beacon %d bytes: encode %.0f/s, decode %.0f/s, reject garbage %.0f/s (%d rejected)%n",
                    bytes.length, n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9), n / ((t3 - t2) / 1e9), rejected);
        }
        assertThat(sink).isPositive();
    }
}
