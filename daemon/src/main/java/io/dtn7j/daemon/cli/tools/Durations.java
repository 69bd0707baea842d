package io.dtn7j.daemon.cli.tools;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations the way dtn7-rs's tools do (Rust humantime): {@code 500ms}, {@code 10s}, {@code 5m},
 * {@code 1h 30m}, {@code 2days}, {@code 1y}; a bare number means seconds.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)\\s*([a-zA-Zµ]*)");

    private Durations() {
    }

    /**
     * The duration {@code text} spells.
     *
     *
     * @param text the text, e.g. {@code 10s} or {@code 1m30s}
     * @throws IllegalArgumentException naming the part that is not understood
     * @return the duration
     */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int pos = 0;
        while (pos < t.length()) {
            if (Character.isWhitespace(t.charAt(pos))) {
                pos++;
                continue;
            }
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("cannot read duration \"" + text + "\" at \"" + t.substring(pos) + "\"");
            }
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("number too large in duration \"" + text + "\"");
            }
            total = total.plus(unit(m.group(2), text).multipliedBy(n));
            pos = m.end();
        }
        return total;
    }

    private static Duration unit(String u, String whole) {
        return switch (u) {
            case "ns", "nsec" -> Duration.ofNanos(1);
            case "us", "usec", "µs" -> Duration.ofNanos(1000);
            case "ms", "msec", "millis" -> Duration.ofMillis(1);
            case "", "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(1);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(1);
            case "h", "hr", "hrs", "hour", "hours" -> Duration.ofHours(1);
            case "d", "day", "days" -> Duration.ofDays(1);
            case "w", "week", "weeks" -> Duration.ofDays(7);
            case "M", "month", "months" -> Duration.ofSeconds(2_630_016);
            case "y", "year", "years" -> Duration.ofSeconds(31_557_600);
            default -> throw new IllegalArgumentException("unknown unit \"" + u + "\" in duration \"" + whole
                    + "\" (use ms, s, m, h, d, w, y)");
        };
    }
}
