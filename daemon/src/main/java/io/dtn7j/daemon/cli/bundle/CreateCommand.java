package io.dtn7j.daemon.cli.bundle;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleBuilder;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.DtnTime;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.InvalidEndpointIdException;
import io.dtn7j.bundle.codec.BundleCodec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dtn7j bundle create}: writes one new bundle to standard output, binary or as a hex line. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Write one bundle to standard output (binary, or one hex line with --hex).")
public final class CreateCommand implements Callable<Integer> {

    @Option(names = "--src", required = true, paramLabel = "EID", description = "Source EID (dtn:none for anonymous).")
    String source;

    @Option(names = "--dst", required = true, paramLabel = "EID", description = "Destination EID.")
    String destination;

    @Option(names = "--report-to", paramLabel = "EID", description = "Report-to EID (default: the source).")
    String reportTo;

    @Option(names = "--lifetime", paramLabel = "MS", defaultValue = "3600000",
            description = "Lifetime in milliseconds (default: ${DEFAULT-VALUE}).")
    long lifetimeMs;

    @Option(names = "--creation-time", paramLabel = "MS",
            description = "Creation time, DTN milliseconds since 2000-01-01 UTC (default: now; 0 = no clock, adds a bundle age block).")
    Long creationTime;

    @Option(names = "--seq", paramLabel = "N", defaultValue = "0", description = "Sequence number (default: ${DEFAULT-VALUE}).")
    long sequence;

    @Option(names = "--crc", paramLabel = "none|16|32", defaultValue = "32",
            description = "CRC type of every block: none, 16 (CRC-16/X-25) or 32 (CRC-32C) (default: ${DEFAULT-VALUE}).")
    String crc;

    @ArgGroup(exclusive = true)
    PayloadSource payload;

    static final class PayloadSource {
        @Option(names = "--payload", paramLabel = "TEXT", description = "Payload text (UTF-8).")
        String text;

        @Option(names = "--payload-file", paramLabel = "FILE", description = "Payload file (streamed, any size).")
        Path file;
    }

    @Option(names = "--hop-limit", paramLabel = "N", description = "Add a hop count block with this limit.")
    Long hopLimit;

    @Option(names = "--age", paramLabel = "MS", description = "Add a bundle age block with this age in milliseconds.")
    Long ageMs;

    @Option(names = "--prev-node", paramLabel = "EID", description = "Add a previous node block naming this node.")
    String previousNode;

    @Option(names = "--flags", paramLabel = "BITS",
            description = "Bundle processing control flags, decimal or 0x-hex (default: 0).")
    String flags;

    @Option(names = "--hex", description = "Write the bundle as one line of lowercase hex.")
    boolean hex;

    /** Creates the command; picocli sets its options from the command line. */
    public CreateCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        Bundle bundle;
        try {
            bundle = build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("dtn7j bundle create: " + e.getMessage());
            return 2;
        }
        PrintStream stdout = System.out;
        OutputStream out = new BufferedOutputStream(hex ? new HexOutputStream(stdout) : stdout, 1 << 16);
        BundleCodec.encodeTo(bundle, out);
        out.flush();
        if (hex) {
            stdout.print('\n');
        }
        stdout.flush();
        return 0;
    }

    Bundle build() {
        BundleBuilder b = Bundle.builder()
                .source(eid("--src", source))
                .destination(eid("--dst", destination))
                .lifetimeMs(lifetimeMs)
                .crcType(crcType(crc));
        if (reportTo != null) {
            b.reportTo(eid("--report-to", reportTo));
        }
        long time = creationTime != null ? creationTime : DtnTime.now();
        b.creation(time, sequence);
        if (flags != null) {
            b.flags(parseFlags(flags));
        }
        if (payload != null && payload.text != null) {
            b.payload(payload.text);
        } else if (payload != null && payload.file != null) {
            if (!Files.isReadable(payload.file)) {
                throw new IllegalArgumentException("--payload-file " + payload.file + " is not a readable file");
            }
            b.payload(ByteSource.ofFile(payload.file));
        }
        if (hopLimit != null) {
            b.hopLimit(hopLimit);
        }
        if (ageMs != null) {
            b.bundleAgeMs(ageMs);
        } else if (time == 0) {
            b.bundleAgeMs(0); // RFC 9171 §4.4.2: a bundle without a clock carries a bundle age block
        }
        if (previousNode != null) {
            b.previousNode(eid("--prev-node", previousNode));
        }
        return b.build();
    }

    static EndpointId eid(String option, String text) {
        try {
            return EndpointId.parse(text);
        } catch (InvalidEndpointIdException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    static CrcType crcType(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "none", "0" -> CrcType.NONE;
            case "16", "crc16" -> CrcType.CRC16;
            case "32", "32c", "crc32", "crc32c" -> CrcType.CRC32C;
            default -> throw new IllegalArgumentException("--crc must be none, 16 or 32, not '" + text + "'");
        };
    }

    static long parseFlags(String text) {
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? Long.parseUnsignedLong(text.substring(2), 16)
                    : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--flags must be a decimal or 0x-hex number, not '" + text + "'", e);
        }
    }

    /** Writes each byte as two lowercase hex digits. */
    static final class HexOutputStream extends OutputStream {
        private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private final OutputStream out;
        private final byte[] buf = new byte[8192];

        HexOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(DIGITS[(b >> 4) & 0xf]);
            out.write(DIGITS[b & 0xf]);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buf.length / 2);
                for (int i = 0; i < n; i++) {
                    int v = b[off + i];
                    buf[2 * i] = DIGITS[(v >> 4) & 0xf];
                    buf[2 * i + 1] = DIGITS[v & 0xf];
                }
                out.write(buf, 0, 2 * n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
