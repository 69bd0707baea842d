package io.dtn7j.daemon.cli.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleException;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.PrimaryBlock;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dtn7j bundle inspect}: decodes bundles and prints them as JSON. With {@code --hex} every input line is one
 * bundle in hex and gives one output line (JSON Lines); a bundle that does not decode gives {@code {"error": ...}} and
 * makes the exit status 1.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Decode a bundle and print it as JSON.",
                "With --hex every input line is one hex-encoded bundle and gives one JSON line;",
                "a bundle that fails to decode gives {\"error\": \"<reason>\"} and the exit status is 1."})
public final class InspectCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--hex", description = "Read one hex-encoded bundle per line (JSON Lines out).")
    boolean hex;

    @Option(names = "--strict", description = "Apply every RFC 9171 rule (no waived deviations).")
    boolean strict;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", defaultValue = "-",
            description = "Input file, or - for standard input (default).")
    String input;

    /** Creates the command; picocli sets its options from the command line. */
    public InspectCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        DecodeOptions options = strict ? DecodeOptions.STRICT : DecodeOptions.DEFAULT;
        boolean failed = false;
        if (hex) {
            try (InputStream in = open();
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String trimmed = line.strip();
                    if (trimmed.isEmpty()) {
                        continue;
                    }
                    ObjectNode result;
                    try {
                        result = decode(ByteSource.of(HexFormat.of().parseHex(trimmed)), options);
                    } catch (IllegalArgumentException e) {
                        result = error("invalid hex: " + e.getMessage());
                    }
                    failed |= result.has("error");
                    out.println(JSON.writeValueAsString(result));
                }
            } catch (NoSuchFileException e) {
                out.println(JSON.writeValueAsString(error("no such file: " + input)));
                return 1;
            }
        } else {
            ObjectNode result;
            try {
                ByteSource source = "-".equals(input) ? ByteSource.of(System.in.readAllBytes()) : ByteSource.ofFile(Path.of(input));
                result = decode(source, options);
            } catch (UncheckedIOException e) {
                result = error("cannot read " + input + ": " + e.getCause().getMessage());
            }
            failed = result.has("error");
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        out.flush();
        return failed ? 1 : 0;
    }

    private InputStream open() throws IOException {
        return "-".equals(input) ? System.in : Files.newInputStream(Path.of(input));
    }

    private static ObjectNode decode(ByteSource source, DecodeOptions options) {
        try {
            return describe(BundleCodec.decode(source, options));
        } catch (BundleException e) {
            return error(e.getMessage());
        } catch (UncheckedIOException e) {
            return error("cannot read the input: " + e.getCause().getMessage());
        }
    }

    static ObjectNode error(String reason) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", reason);
        return n;
    }

    /** The JSON description of a bundle (the keys of issue 2). */
    static ObjectNode describe(Bundle bundle) {
        ObjectNode root = JSON.createObjectNode();
        PrimaryBlock p = bundle.primary();
        ObjectNode primary = root.putObject("primary");
        primary.put("version", p.version());
        primary.put("flags", unsigned(p.flags().bits()));
        primary.put("crc_type", p.crcType().code());
        primary.put("destination", p.destination().uri());
        primary.put("source", p.source().uri());
        primary.put("report_to", p.reportTo().uri());
        primary.put("creation_time", unsigned(p.creation().dtnTimeMs()));
        primary.put("sequence_number", unsigned(p.creation().sequence()));
        primary.put("lifetime", unsigned(p.lifetimeMs()));
        if (p.fragment() != null) {
            primary.put("fragment_offset", unsigned(p.fragment().offset()));
            primary.put("total_adu_length", unsigned(p.fragment().totalAduLength()));
        }
        ArrayNode blocks = root.putArray("blocks");
        for (CanonicalBlock b : bundle.blocks()) {
            ObjectNode block = blocks.addObject();
            block.put("type", unsigned(b.type()));
            block.put("number", unsigned(b.number()));
            block.put("flags", unsigned(b.flags().bits()));
            block.put("crc_type", b.crcType().code());
            block.put("data_hex", HexFormat.of().formatHex(b.data().toByteArray()));
        }
        root.put("bundle_id", bundle.id().toString());
        return root;
    }

    private static BigInteger unsigned(long v) {
        return v >= 0 ? BigInteger.valueOf(v) : new BigInteger(Long.toUnsignedString(v));
    }
}
