package io.dtn7j.core.routing;

import java.util.regex.Pattern;

/**
 * A shell-style glob over whole strings, as dtn7-rs's static routing matches EIDs: {@code *} any run of characters
 * (including {@code /}), {@code ?} one character, {@code [abc]} / {@code [a-z]} / {@code [!a-z]} (or {@code [^...]}) a
 * character class; {@code \} escapes the next character. Anything else matches itself.
 */
public final class GlobPattern {
    private final String glob;
    private final Pattern regex;

    private GlobPattern(String glob, Pattern regex) {
        this.glob = glob;
        this.regex = regex;
    }

    /**
     * Compiles a glob.
     *
     *
     * @param glob the glob, in the syntax described above
     * @throws IllegalArgumentException for an unterminated character class or a trailing backslash
     * @return the compiled pattern
     */
    public static GlobPattern compile(String glob) {
        StringBuilder re = new StringBuilder(glob.length() * 2);
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '\\' -> {
                    if (i + 1 >= glob.length()) {
                        throw new IllegalArgumentException("glob '" + glob + "' ends with a lone backslash");
                    }
                    re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                }
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("glob '" + glob + "' has an unterminated '[' at index " + i);
                    }
                    String body = glob.substring(i + 1, end);
                    StringBuilder cls = new StringBuilder("[");
                    int j = 0;
                    if (body.charAt(0) == '!' || body.charAt(0) == '^') {
                        cls.append('^');
                        j = 1;
                    }
                    for (; j < body.length(); j++) {
                        char b = body.charAt(j);
                        if (b == '-' && j > 0 && j < body.length() - 1) {
                            cls.append('-');
                        } else if (Character.isLetterOrDigit(b)) {
                            cls.append(b);
                        } else {
                            cls.append('\\').append(b);
                        }
                    }
                    re.append(cls).append(']');
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return new GlobPattern(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    /**
     * Whether the whole of {@code s} matches.
     *
     * @param s the string
     * @return true if the whole string matches
     */
    public boolean matches(String s) {
        return regex.matcher(s).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
