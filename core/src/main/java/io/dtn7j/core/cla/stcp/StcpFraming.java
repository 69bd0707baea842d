package io.dtn7j.core.cla.stcp;

import io.dtn7j.core.cla.FrameException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * STCP framing (the "simple TCP" convergence layer of ION, HDTN and NASA cFS): each bundle is preceded by
 * its length as a 4-byte big-endian unsigned integer; a length of 0 is a keepalive.
 */
public final class StcpFraming {

    /** Largest length the 4-byte preamble can express. */
    public static final long MAX_FRAME = 0xffffffffL;

    private StcpFraming() {
    }

    /**
     * The 4-byte preamble for a bundle of {@code length} bytes.
     *
     * @param length the bundle length in bytes
     * @return the preamble
     */
    public static byte[] header(long length) {
        if (length < 0 || length > MAX_FRAME) {
            throw new IllegalArgumentException("STCP carries bundles of 0.." + MAX_FRAME + " bytes, not " + length);
        }
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    /**
     * Reads one preamble.
     *
     *
     * @param in the stream to read from
     * @param maxLength the largest bundle length accepted
     * @return the bundle length (0 = keepalive), or -1 when the stream ended cleanly before a preamble
     * @throws FrameException when the length exceeds {@code maxLength}
     * @throws EOFException   when the stream ends inside the preamble
     */
    public static long readHeader(InputStream in, long maxLength) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return -1;
        }
        long length = b0;
        for (int i = 0; i < 3; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("STCP stream ended inside a length preamble");
            }
            length = (length << 8) | b;
        }
        if (length > maxLength) {
            throw new FrameException(FrameException.Reason.TOO_LARGE,
                    "STCP bundle of " + length + " bytes exceeds the limit of " + maxLength + " bytes");
        }
        return length;
    }
}
