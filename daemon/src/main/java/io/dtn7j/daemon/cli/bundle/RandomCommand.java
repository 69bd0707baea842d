package io.dtn7j.daemon.cli.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleBuilder;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.codec.BundleCodec;
import java.io.PrintStream;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtn7j bundle random}: prints random bundles, one hex line each. Every bundle is valid under the strict RFC
 * 9171 policy: node IDs and endpoints in canonical form, a CRC on every block, a bundle age block when there is no
 * clock, consistent flags.
 */
@Command(name = "random", mixinStandardHelpOptions = true,
        description = "Print random valid bundles, one hex line each.")
public final class RandomCommand implements Callable<Integer> {

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "How many bundles (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random generator, for repeatable output.")
    Long seed;

    /** Creates the command; picocli sets its options from the command line. */
    public RandomCommand() {
    }

    @Override
    public Integer call() {
        if (count < 0) {
            System.err.println("dtn7j bundle random: --count must not be negative");
            return 2;
        }
        Random rnd = seed != null ? new Random(seed) : new Random();
        PrintStream out = System.out;
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < count; i++) {
            out.println(hex.formatHex(BundleCodec.encode(randomBundle(rnd))));
        }
        out.flush();
        return 0;
    }

    /** A random bundle that the strict policy accepts. */
    static Bundle randomBundle(Random rnd) {
        boolean ipn = rnd.nextBoolean();
        EndpointId src = endpoint(rnd, ipn, false);
        EndpointId dst = endpoint(rnd, rnd.nextBoolean(), true);
        long flags = switch (rnd.nextInt(5)) {
            case 0 -> BundleFlags.MUST_NOT_FRAGMENT;
            case 1 -> BundleFlags.REPORT_DELIVERY | BundleFlags.STATUS_TIME_REQUESTED;
            case 2 -> BundleFlags.APP_ACK_REQUESTED | BundleFlags.REPORT_RECEPTION;
            default -> 0;
        };
        boolean clockless = rnd.nextInt(8) == 0;
        byte[] payload = new byte[rnd.nextInt(65)];
        rnd.nextBytes(payload);
        BundleBuilder b = Bundle.builder().source(src).destination(dst).reportTo(src.nodeId())
                .creation(clockless ? 0 : DtnTime.now() - rnd.nextInt(1_000_000), rnd.nextInt(1000))
                .lifetimeMs(1000L + rnd.nextInt(86_400_000)).flags(flags)
                .crcType(rnd.nextBoolean() ? CrcType.CRC16 : CrcType.CRC32C).payload(payload);
        if (clockless || rnd.nextInt(3) == 0) {
            b.bundleAgeMs(rnd.nextInt(100_000));
        }
        if (rnd.nextBoolean()) {
            b.hopLimit(1 + rnd.nextInt(64));
        }
        if (rnd.nextInt(3) == 0) {
            b.previousNode(endpoint(rnd, rnd.nextBoolean(), false).nodeId());
        }
        return b.build();
    }

    private static EndpointId endpoint(Random rnd, boolean ipn, boolean groupAllowed) {
        if (ipn) {
            return EndpointId.ipn(1 + rnd.nextInt(1000), rnd.nextInt(100));
        }
        String node = "node" + rnd.nextInt(100);
        String[] services = {"", "inbox", "app/" + rnd.nextInt(10), "~group"};
        return EndpointId.dtn(node, services[rnd.nextInt(groupAllowed ? services.length : services.length - 1)]);
    }
}
