package io.dtn7j.bundle.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Reads one hex string of an entry of the test vector files without a JSON library. */
public final class TestVectors {
    private TestVectors() {
    }

    /**
     * The bytes of the first {@code "<key>": "<hex>"} after {@code "id": "<id>"} in the resource, and after each of
     * the {@code within} object keys in turn (e.g. {@code "payload"} for the payload's hex).
     */
    public static byte[] hex(String resource, String id, String key, String... within) {
        String text;
        try (InputStream in = TestVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int at = text.indexOf("\"id\": \"" + id + "\"");
        if (at < 0) {
            throw new IllegalStateException("no vector " + id + " in " + resource);
        }
        for (String w : within) {
            at = text.indexOf("\"" + w + "\": {", at);
            if (at < 0) {
                throw new IllegalStateException("no object " + w + " in vector " + id);
            }
        }
        String marker = "\"" + key + "\": \"";
        int k = text.indexOf(marker, at);
        int end = text.indexOf('"', k + marker.length());
        return HexFormat.of().parseHex(text.substring(k + marker.length(), end));
    }
}
