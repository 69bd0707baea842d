package io.dtn7j.daemon.cli.bundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the bundle tool's output: objects keep their insertion order, so the printed key order
 * is stable. Values are {@code String}, {@code Number}, {@code Boolean}, {@code null}, {@link Map} and {@link List}.
 */
final class JsonOut {

    private JsonOut() {
    }

    /** A new insertion-ordered JSON object. */
    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** A new JSON array. */
    static List<Object> array() {
        return new ArrayList<>();
    }

    /** The compact JSON text of a value. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder(256);
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> appendString(sb, s);
            case Boolean b -> sb.append(b.booleanValue());
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    appendString(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    append(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    append(sb, l.get(i));
                }
                sb.append(']');
            }
            default -> appendString(sb, value.toString());
        }
    }

    private static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
