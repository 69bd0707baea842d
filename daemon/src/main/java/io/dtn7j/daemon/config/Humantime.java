package io.dtn7j.daemon.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in the notation of Rust's {@code humantime} crate, which dtn7-rs uses for its flags, its TOML
 * file and the {@code lifetime} parameter of {@code /send}: {@code 10s}, {@code 1h 30m}, {@code 2days},
 * {@code 500ms}. {@link #format} writes the same notation ({@code 1m 30s}).
 */
public final class Humantime {
    private static final Pattern PART = Pattern.compile("\\s*(\\d+)\\s*([A-Za-zµ]+)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.ofEntries(
            Map.entry("nsec", 1L), Map.entry("ns", 1L),
            Map.entry("usec", 1_000L), Map.entry("us", 1_000L), Map.entry("µs", 1_000L),
            Map.entry("msec", 1_000_000L), Map.entry("ms", 1_000_000L),
            Map.entry("seconds", 1_000_000_000L), Map.entry("second", 1_000_000_000L),
            Map.entry("secs", 1_000_000_000L), Map.entry("sec", 1_000_000_000L), Map.entry("s", 1_000_000_000L),
            Map.entry("minutes", 60_000_000_000L), Map.entry("minute", 60_000_000_000L),
            Map.entry("mins", 60_000_000_000L), Map.entry("min", 60_000_000_000L), Map.entry("m", 60_000_000_000L),
            Map.entry("hours", 3_600_000_000_000L), Map.entry("hour", 3_600_000_000_000L),
            Map.entry("hrs", 3_600_000_000_000L), Map.entry("hr", 3_600_000_000_000L), Map.entry("h", 3_600_000_000_000L),
            Map.entry("days", 86_400_000_000_000L), Map.entry("day", 86_400_000_000_000L), Map.entry("d", 86_400_000_000_000L),
            Map.entry("weeks", 604_800_000_000_000L), Map.entry("week", 604_800_000_000_000L), Map.entry("w", 604_800_000_000_000L),
            Map.entry("months", 2_630_016_000_000_000L), Map.entry("month", 2_630_016_000_000_000L), Map.entry("M", 2_630_016_000_000_000L),
            Map.entry("years", 31_557_600_000_000_000L), Map.entry("year", 31_557_600_000_000_000L), Map.entry("y", 31_557_600_000_000_000L));

    private Humantime() {
    }

    /**
     * Parses a humantime duration; a bare {@code 0} is zero (dtn7-rs's "off").
     *
     *
     * @param text the duration text, e.g. {@code 1m 30s}
     * @throws IllegalArgumentException naming the part that is not a duration
     * @return the duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration: expected e.g. 10s, 5m or 1h 30m");
        }
        String t = text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(t);
        int pos = 0;
        Duration total = Duration.ZERO;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("not a duration: '" + text + "' (expected e.g. 10s, 5m or 1h 30m)");
            }
            String unit = m.group(2);
            Long nanos = NANOS_PER_UNIT.get(unit);
            if (nanos == null) {
                nanos = unit.equals("M") ? null : NANOS_PER_UNIT.get(unit.toLowerCase(Locale.ROOT));
            }
            if (nanos == null) {
                throw new IllegalArgumentException("unknown time unit '" + unit + "' in '" + text + "'");
            }
            long n;
            try {
                n = Long.parseLong(m.group(1));
                total = total.plus(Duration.ofNanos(Math.multiplyExact(n, nanos)));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("duration too large: '" + text + "'");
            }
            pos = m.end();
            while (pos < t.length() && Character.isWhitespace(t.charAt(pos))) {
                pos++;
            }
        }
        return total;
    }

    /**
     * Formats like humantime: {@code 10s}, {@code 1m 30s}, {@code 2h}, {@code 0s}.
     *
     * @param d the duration
     * @return the humantime text
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"day", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            long n = ms / units[i];
            ms %= units[i];
            if (n > 0) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(n).append(i == 0 ? (n == 1 ? "day" : "days") : names[i]);
            }
        }
        return sb.toString();
    }
}
