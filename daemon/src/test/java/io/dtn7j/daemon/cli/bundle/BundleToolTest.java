package io.dtn7j.daemon.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.codec.BundleCodec;
import io.dtn7j.bundle.codec.DecodeOptions;
import io.dtn7j.daemon.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code dtn7j bundle ...} in-process through {@link Main#commandLine()} and checks what it prints. */
class BundleToolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, byte[] stdout, String stderr) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        List<JsonNode> jsonLines() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (String line : text().split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
    }

    static synchronized Run run(byte[] stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.commandLine().execute(args);
            System.out.flush();
            return new Run(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Run run(String... args) {
        return run(new byte[0], args);
    }

    static JsonNode vectors(String file) throws IOException {
        try (InputStream in = BundleToolTest.class.getResourceAsStream("/vectors/" + file)) {
            assertThat(in).as("test vectors from the bundle module's test-jar").isNotNull();
            return JSON.readTree(in);
        }
    }

    @Test
    void inspectDescribesEveryPublishedBundleAsJsonLines() throws IOException {
        JsonNode bundles = vectors("bpv7-bundles.json").get("bundles");
        StringBuilder input = new StringBuilder();
        for (JsonNode b : bundles) {
            input.append(b.get("hex").asText()).append('\n');
        }
        Run r = run(input.toString().getBytes(StandardCharsets.US_ASCII), "bundle", "inspect", "--hex");

        List<JsonNode> lines = r.jsonLines();
        assertThat(lines).hasSize(bundles.size());
        int rejected = 0;
        for (int i = 0; i < bundles.size(); i++) {
            JsonNode expected = bundles.get(i).get("decoded");
            JsonNode actual = lines.get(i);
            String id = bundles.get(i).get("id").asText();
            if (!"accept".equals(bundles.get(i).get("expect_default").asText())) {
                // e.g. the RFC 9173 examples: creation time 0 without a bundle age block
                assertThat(actual.get("error").asText()).as(id).isNotBlank();
                rejected++;
                continue;
            }
            assertThat(actual.has("error")).as(id + ": " + actual).isFalse();
            JsonNode ep = expected.get("primary");
            JsonNode ap = actual.get("primary");
            assertThat(ap.get("version").asInt()).as(id).isEqualTo(ep.get("version").asInt());
            assertThat(ap.get("flags").asLong()).as(id).isEqualTo(ep.get("bundle_flags").asLong());
            assertThat(ap.get("crc_type").asInt()).as(id).isEqualTo(ep.get("crc_type").asInt());
            assertThat(ap.get("destination").asText()).as(id).isEqualTo(ep.get("destination").asText());
            assertThat(ap.get("source").asText()).as(id).isEqualTo(ep.get("source").asText());
            assertThat(ap.get("report_to").asText()).as(id).isEqualTo(ep.get("report_to").asText());
            assertThat(ap.get("creation_time").asLong()).as(id).isEqualTo(ep.get("creation_time_dtn_ms").asLong());
            assertThat(ap.get("sequence_number").asLong()).as(id).isEqualTo(ep.get("sequence_number").asLong());
            assertThat(ap.get("lifetime").asLong()).as(id).isEqualTo(ep.get("lifetime_ms").asLong());
            if (ep.has("fragment_offset")) {
                assertThat(ap.get("fragment_offset").asLong()).as(id).isEqualTo(ep.get("fragment_offset").asLong());
                assertThat(ap.get("total_adu_length").asLong()).as(id).isEqualTo(ep.get("total_adu_length").asLong());
            } else {
                assertThat(ap.has("fragment_offset")).as(id).isFalse();
            }
            JsonNode eb = expected.get("blocks");
            JsonNode ab = actual.get("blocks");
            assertThat(ab.size()).as(id).isEqualTo(eb.size());
            for (int k = 0; k < eb.size(); k++) {
                assertThat(ab.get(k).get("type").asLong()).as(id).isEqualTo(eb.get(k).get("type").asLong());
                assertThat(ab.get(k).get("number").asLong()).as(id).isEqualTo(eb.get(k).get("number").asLong());
                assertThat(ab.get(k).get("flags").asLong()).as(id).isEqualTo(eb.get(k).get("flags").asLong());
                assertThat(ab.get(k).get("crc_type").asInt()).as(id).isEqualTo(eb.get(k).get("crc_type").asInt());
                assertThat(ab.get(k).get("data_hex").asText().length() / 2).as(id)
                        .isEqualTo(eb.get(k).get("data_length").asInt());
            }
            JsonNode payload = expected.get("payload");
            if (payload != null && payload.has("hex") && payload.get("length").asInt() * 2 == payload.get("hex").asText().length()) {
                JsonNode payloadBlock = null;
                for (JsonNode blk : ab) {
                    if (blk.get("type").asInt() == 1) {
                        payloadBlock = blk;
                    }
                }
                assertThat(payloadBlock).as(id).isNotNull();
                assertThat(payloadBlock.get("data_hex").asText()).as(id).isEqualTo(payload.get("hex").asText());
            }
            String expectedId = ep.get("source").asText() + "-" + ep.get("creation_time_dtn_ms").asLong() + "-"
                    + ep.get("sequence_number").asLong() + (ep.has("fragment_offset") ? "-" + ep.get("fragment_offset").asLong() : "");
            assertThat(actual.get("bundle_id").asText()).as(id).isEqualTo(expectedId);
        }
        assertThat(rejected).isLessThan(bundles.size() / 2);
        assertThat(r.exit).as("non-zero because some lines failed").isEqualTo(rejected > 0 ? 1 : 0);
    }

    @Test
    void inspectReportsEveryInvalidVectorAsAnErrorLineInStrictMode() throws IOException {
        JsonNode invalid = vectors("bpv7-invalid.json").get("vectors");
        StringBuilder input = new StringBuilder();
        int count = 0;
        for (JsonNode v : invalid) {
            if (v.has("hex") && "reject".equals(v.path("expect_strict").asText("reject"))) {
                input.append(v.get("hex").asText()).append('\n');
                count++;
            }
        }
        input.append("zz-not-hex\n");
        Run r = run(input.toString().getBytes(StandardCharsets.US_ASCII), "bundle", "inspect", "--hex", "--strict");

        List<JsonNode> lines = r.jsonLines();
        assertThat(lines).hasSize(count + 1);
        for (JsonNode line : lines) {
            assertThat(line.has("error")).as(line.toString()).isTrue();
            assertThat(line.get("error").asText()).isNotBlank();
            assertThat(line.size()).isEqualTo(1);
        }
        assertThat(lines.get(count).get("error").asText()).startsWith("invalid hex");
        assertThat(r.exit).isNotZero();
    }

    @Test
    void strictAndDefaultModesDifferAsTheVectorsSay() throws IOException {
        for (JsonNode b : vectors("bpv7-bundles.json").get("bundles")) {
            byte[] line = (b.get("hex").asText() + "\n").getBytes(StandardCharsets.US_ASCII);
            Run strict = run(line, "bundle", "inspect", "--hex", "--strict");
            Run lenient = run(line, "bundle", "inspect", "--hex");
            String id = b.get("id").asText();
            assertThat(strict.exit == 0).as(id + " strict " + strict.text())
                    .isEqualTo("accept".equals(b.get("expect_strict").asText()));
            assertThat(lenient.exit == 0).as(id + " default " + lenient.text())
                    .isEqualTo("accept".equals(b.get("expect_default").asText()));
        }
    }

    @Test
    void createWritesABundleThatInspectReadsBack(@TempDir Path dir) throws IOException {
        Run created = run("bundle", "create", "--src", "dtn://alice/app", "--dst", "ipn:7.3", "--report-to", "dtn://alice/",
                "--lifetime", "60000", "--creation-time", "812345678901", "--seq", "17", "--crc", "16",
                "--payload", "hello dtn", "--hop-limit", "9", "--age", "250", "--prev-node", "dtn://relay/");
        assertThat(created.exit).as(created.stderr).isZero();

        Bundle b = BundleCodec.decode(created.stdout, DecodeOptions.STRICT);
        assertThat(b.source().uri()).isEqualTo("dtn://alice/app");
        assertThat(b.destination().uri()).isEqualTo("ipn:7.3");
        assertThat(b.reportTo().uri()).isEqualTo("dtn://alice/");
        assertThat(b.primary().lifetimeMs()).isEqualTo(60000);
        assertThat(b.creation().dtnTimeMs()).isEqualTo(812345678901L);
        assertThat(b.creation().sequence()).isEqualTo(17);
        assertThat(b.primary().crcType()).isEqualTo(CrcType.CRC16);
        assertThat(b.payloadText()).isEqualTo("hello dtn");
        assertThat(b.hopCount().orElseThrow().limit()).isEqualTo(9);
        assertThat(b.bundleAge().orElseThrow().ageMs()).isEqualTo(250);
        assertThat(b.previousNode().orElseThrow().uri()).isEqualTo("dtn://relay/");

        Path file = dir.resolve("b.bin");
        Files.write(file, created.stdout);
        Run inspected = run("bundle", "inspect", "--strict", file.toString());
        assertThat(inspected.exit).isZero();
        JsonNode json = JSON.readTree(inspected.stdout);
        assertThat(json.get("bundle_id").asText()).isEqualTo("dtn://alice/app-812345678901-17");
        assertThat(json.get("primary").get("crc_type").asInt()).isEqualTo(1);
        assertThat(json.get("blocks").get(json.get("blocks").size() - 1).get("data_hex").asText())
                .isEqualTo(HexFormat.of().formatHex("hello dtn".getBytes(StandardCharsets.UTF_8)));

        Run hex = run("bundle", "create", "--hex", "--src", "dtn://alice/app", "--dst", "ipn:7.3", "--report-to",
                "dtn://alice/", "--lifetime", "60000", "--creation-time", "812345678901", "--seq", "17", "--crc", "16",
                "--payload", "hello dtn", "--hop-limit", "9", "--age", "250", "--prev-node", "dtn://relay/");
        assertThat(hex.text()).isEqualTo(HexFormat.of().formatHex(created.stdout) + "\n");
        // stdin, binary
        Run fromStdin = run(created.stdout, "bundle", "inspect", "-");
        assertThat(JSON.readTree(fromStdin.stdout)).isEqualTo(json);
    }

    @Test
    void createStreamsAPayloadFileAndDefaultsToCrc32cAndNow(@TempDir Path dir) throws IOException {
        Path payload = dir.resolve("p.bin");
        byte[] content = new byte[300_000];
        new java.util.Random(5).nextBytes(content);
        Files.write(payload, content);
        long before = io.dtn7j.bundle.DtnTime.now();
        Run r = run("bundle", "create", "--src", "ipn:1.1", "--dst", "ipn:2.1", "--payload-file", payload.toString());
        assertThat(r.exit).as(r.stderr).isZero();
        Bundle b = BundleCodec.decode(r.stdout, DecodeOptions.STRICT);
        assertThat(b.payload().toByteArray()).isEqualTo(content);
        assertThat(b.primary().crcType()).isEqualTo(CrcType.CRC32C);
        assertThat(b.creation().dtnTimeMs()).isBetween(before, io.dtn7j.bundle.DtnTime.now());
        assertThat(b.flags()).isEqualTo(BundleFlags.NONE);
    }

    @Test
    void createWithoutAClockAddsABundleAgeBlock() {
        Run r = run("bundle", "create", "--src", "ipn:1.1", "--dst", "ipn:2.1", "--creation-time", "0", "--payload", "x");
        Bundle b = BundleCodec.decode(r.stdout, DecodeOptions.STRICT);
        assertThat(b.bundleAge()).isPresent();
    }

    @Test
    void createRejectsBadArgumentsWithAMessage() {
        Run badEid = run("bundle", "create", "--src", "http://x", "--dst", "ipn:2.1");
        assertThat(badEid.exit).isNotZero();
        assertThat(badEid.stderr).contains("--src");
        assertThat(badEid.stdout).isEmpty();
        Run badCrc = run("bundle", "create", "--src", "ipn:1.1", "--dst", "ipn:2.1", "--crc", "64");
        assertThat(badCrc.exit).isNotZero();
        assertThat(badCrc.stderr).contains("--crc");
        Run both = run("bundle", "create", "--src", "ipn:1.1", "--dst", "ipn:2.1", "--payload", "a", "--payload-file", "b");
        assertThat(both.exit).isNotZero();
        Run missing = run("bundle", "create", "--dst", "ipn:2.1");
        assertThat(missing.exit).isNotZero();
    }

    @Test
    void randomBundlesAreValidInStrictMode() throws IOException {
        Run r = run("bundle", "random", "--count", "200", "--seed", "7");
        assertThat(r.exit).isZero();
        String[] lines = r.text().split("\n");
        assertThat(lines).hasSize(200);
        assertThat(lines).doesNotHaveDuplicates();
        Run inspected = run(r.stdout, "bundle", "inspect", "--hex", "--strict");
        assertThat(inspected.exit).as(inspected.text()).isZero();
        assertThat(inspected.jsonLines()).hasSize(200).allSatisfy(j -> assertThat(j.has("error")).isFalse());
        // the same seed gives the same bundles
        assertThat(run("bundle", "random", "--count", "200", "--seed", "7").text().split("\n")[0]).isNotEmpty();
        assertThat(run("bundle", "random").text().strip()).matches("[0-9a-f]+");
    }

    @Test
    void inspectOfAMissingFileOrGarbageFails(@TempDir Path dir) throws IOException {
        Run missing = run("bundle", "inspect", dir.resolve("nope.bin").toString());
        assertThat(missing.exit).isNotZero();
        assertThat(JSON.readTree(missing.stdout).has("error")).isTrue();
        Run garbage = run(new byte[] {(byte) 0x9f, 1, 2}, "bundle", "inspect");
        assertThat(garbage.exit).isNotZero();
        assertThat(JSON.readTree(garbage.stdout).get("error").asText()).isNotBlank();
    }
}
