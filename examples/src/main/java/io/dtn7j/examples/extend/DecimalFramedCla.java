package io.dtn7j.examples.extend;

import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.FrameException;
import io.dtn7j.core.cla.LengthFramedCla;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Worked example of a convergence layer: TCP where each bundle is preceded by its length written as ASCII
 * decimal digits and a newline ({@code "123\n"}); {@code "0\n"} is a keepalive. All the socket, session and
 * keepalive handling is inherited from {@link LengthFramedCla}; a CLA of this kind only defines its framing.
 * Selected by the name {@value #NAME} through {@link DecimalFramedClaProvider}.
 */
public final class DecimalFramedCla extends LengthFramedCla {

    /** The CLA name. */
    public static final String NAME = "dtcp-example";
    /** The port used when none is given. */
    public static final int DEFAULT_PORT = 4557;
    private static final int MAX_DIGITS = 18;

    /**
     * A decimal-framed CLA; nothing runs until it is started.
     *
     * @param options the options (bind host, port, limits)
     */
    public DecimalFramedCla(ClaOptions options) {
        super(options, DEFAULT_PORT);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected byte[] frameHeader(long length) {
        return (length + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected long readFrameHeader(InputStream in, long maxLength) throws IOException {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        long length = 0;
        int digits = 0;
        while (b != '\n') {
            if (b < 0) {
                throw new EOFException(NAME + " stream ended inside a length line");
            }
            if (b < '0' || b > '9' || ++digits > MAX_DIGITS) {
                throw new FrameException(FrameException.Reason.MALFORMED,
                        NAME + " length line must be 1.." + MAX_DIGITS + " decimal digits and a newline");
            }
            length = length * 10 + (b - '0');
            b = in.read();
        }
        if (digits == 0) {
            throw new FrameException(FrameException.Reason.MALFORMED, NAME + " empty length line");
        }
        if (length > maxLength) {
            throw new FrameException(FrameException.Reason.TOO_LARGE,
                    NAME + " bundle of " + length + " bytes exceeds the limit of " + maxLength + " bytes");
        }
        return length;
    }
}
