package io.dtn7j.core.cla.mtcp;

import io.dtn7j.core.cla.FrameException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * MTCP framing (draft-ietf-dtn-mtcpcl-01): each bundle is one CBOR definite-length byte string (major type
 * 2) on the stream. An empty byte string ({@code 0x40}) is a keepalive as dtn7-go sends it.
 */
public final class MtcpFraming {

    /** The one-byte empty byte string used as a keepalive by dtn7-go. */
    public static final byte KEEPALIVE = 0x40;

    private MtcpFraming() {
    }

    /**
     * The CBOR byte-string header (shortest form) for a payload of {@code length} bytes.
     *
     * @param length the payload length in bytes
     * @return the header
     */
    public static byte[] header(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (length < 24) {
            return new byte[] {(byte) (0x40 | length)};
        } else if (length <= 0xff) {
            return new byte[] {0x58, (byte) length};
        } else if (length <= 0xffff) {
            return new byte[] {0x59, (byte) (length >>> 8), (byte) length};
        } else if (length <= 0xffffffffL) {
            return new byte[] {0x5a, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                    (byte) length};
        }
        byte[] h = new byte[9];
        h[0] = 0x5b;
        for (int i = 0; i < 8; i++) {
            h[1 + i] = (byte) (length >>> (56 - 8 * i));
        }
        return h;
    }

    /**
     * Reads one frame header.
     *
     * @param in        the stream
     * @param maxLength largest frame content accepted
     * @return the content length (0 for a keepalive), or -1 when the stream ended cleanly before a frame
     * @throws FrameException when the header is not a definite byte string or its length exceeds {@code maxLength}
     * @throws EOFException   when the stream ends inside the header
     */
    public static long readHeader(InputStream in, long maxLength) throws IOException {
        int first = in.read();
        if (first < 0) {
            return -1;
        }
        int major = first >>> 5;
        int info = first & 0x1f;
        if (major != 2) {
            throw new FrameException(FrameException.Reason.MALFORMED, String.format(
                    "MTCP frame must be a CBOR byte string (major type 2), got initial byte 0x%02x", first));
        }
        long length;
        if (info < 24) {
            length = info;
        } else if (info <= 27) {
            int n = 1 << (info - 24);
            length = 0;
            for (int i = 0; i < n; i++) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("MTCP stream ended inside a frame header");
                }
                length = (length << 8) | b;
            }
            if (length < 0) { // above 2^63
                throw new FrameException(FrameException.Reason.TOO_LARGE,
                        "MTCP frame length " + Long.toUnsignedString(length) + " exceeds the limit of " + maxLength);
            }
        } else {
            throw new FrameException(FrameException.Reason.MALFORMED, String.format(
                    "MTCP frame must be a definite-length byte string, got initial byte 0x%02x", first));
        }
        if (length > maxLength) {
            throw new FrameException(FrameException.Reason.TOO_LARGE,
                    "MTCP frame of " + length + " bytes exceeds the limit of " + maxLength + " bytes");
        }
        return length;
    }
}
