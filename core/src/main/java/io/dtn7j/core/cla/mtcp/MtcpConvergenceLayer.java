package io.dtn7j.core.cla.mtcp;

import io.dtn7j.core.cla.ClaOptions;
import io.dtn7j.core.cla.LengthFramedCla;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code mtcp}: the minimal TCP convergence layer as dtn7-rs, dtn7-go and dtn7zero speak it; each bundle is
 * one CBOR byte string on a TCP stream (standard port {@value #DEFAULT_PORT}). Serves senders that open a
 * connection per bundle (dtn7zero) and senders that keep one connection and send empty byte strings as
 * keepalives (dtn7-go). The sender never sends keepalives (dtn7-rs and dtn7zero treat them as errors).
 */
public final class MtcpConvergenceLayer extends LengthFramedCla {

    /** The standard MTCP port. */
    public static final int DEFAULT_PORT = 16162;

    /**
     * An MTCP CLA; nothing runs until it is started.
     *
     * @param options the options
     */
    public MtcpConvergenceLayer(ClaOptions options) {
        super(options, DEFAULT_PORT);
    }

    @Override
    public String name() {
        return "mtcp";
    }

    @Override
    protected byte[] frameHeader(long length) {
        return MtcpFraming.header(length);
    }

    @Override
    protected long readFrameHeader(InputStream in, long maxLength) throws IOException {
        return MtcpFraming.readHeader(in, maxLength);
    }
}
