package io.dtn7j.daemon.api;

import java.util.HexFormat;

/** Lowercase hex, as dtn7-rs's {@code .hex} routes use. */
public final class Hex {
    private Hex() {
    }

    /**
     * Encodes bytes as lowercase hex.
     *
     * @param bytes the bytes
     * @return the hex text
     */
    public static String encode(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Decodes hex text.
     *
     *
     * @param hex the hex text
     * @throws IllegalArgumentException when the length is odd or a character is not a hex digit
     * @return the bytes
     */
    public static byte[] decode(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("hex text has an odd number of digits (" + hex.length() + ")");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("'" + hex.charAt(i) + "' at position " + i + " is not a hex digit");
            }
        }
        return HexFormat.of().parseHex(hex);
    }
}
