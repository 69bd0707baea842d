package io.dtn7j.core.cla.stcp;

import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.LengthFramedCla;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code stcp}: the simple TCP convergence layer of ION, HDTN and NASA cFS; each bundle is preceded by its
 * length as a 4-byte big-endian integer, a zero length is a keepalive. Standard port {@value #DEFAULT_PORT}
 * (ION's default for its TCP-based CLAs).
 */
public final class StcpConvergenceLayer extends LengthFramedCla {

    /** The standard port used by ION/HDTN configurations for STCP. */
    public static final int DEFAULT_PORT = 4556;

    /**
     * An STCP CLA; nothing runs until it is started.
     *
     * @param options the options
     */
    public StcpConvergenceLayer(ClaOptions options) {
        super(options, DEFAULT_PORT);
    }

    @Override
    public String name() {
        return "stcp";
    }

    @Override
    protected long framingLimit() {
        return StcpFraming.MAX_FRAME;
    }

    @Override
    protected byte[] frameHeader(long length) {
        return StcpFraming.header(length);
    }

    @Override
    protected long readFrameHeader(InputStream in, long maxLength) throws IOException {
        return StcpFraming.readHeader(in, maxLength);
    }
}
