package io.dtn7j.core.cla.tcpcl;

import io.dtn7j.core.cla.tcpcl.TcpclProtocolException.Kind;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads TCPCLv4 messages from a stream without trusting any length field: segment data longer than
 * this entity's segment MRU and extension lists longer than a fixed limit are refused before anything is
 * allocated. After an {@link TcpclMessage.XferSegment} the caller must consume exactly
 * {@code dataLength} bytes from {@link #in()} before reading the next message.
 */
public final class TcpclMessageReader {

    /** Largest session/transfer extension item list accepted (bytes). */
    public static final int DEFAULT_MAX_EXTENSIONS_LENGTH = 64 * 1024;

    private final DataInputStream in;
    private final long maxSegmentData;
    private final int maxExtensionsLength;

    /**
     * A reader of the messages on {@code in}.
     *
     * @param in                  the stream (buffered by the caller)
     * @param maxSegmentData      largest segment data length accepted (this entity's segment MRU)
     * @param maxExtensionsLength largest extension item list accepted
     */
    public TcpclMessageReader(InputStream in, long maxSegmentData, int maxExtensionsLength) {
        this.in = in instanceof DataInputStream d ? d : new DataInputStream(in);
        this.maxSegmentData = maxSegmentData;
        this.maxExtensionsLength = maxExtensionsLength;
    }

    /** {@return the underlying stream, positioned at segment data after an XFER_SEGMENT header} */
    public DataInputStream in() {
        return in;
    }

    /**
     * Reads the 6-byte contact header; the caller checks the version.
     *
     * @return the header
     * @throws IOException if the stream fails or ends first
     */
    public ContactHeader readContactHeader() throws IOException {
        byte[] b = new byte[ContactHeader.LENGTH];
        in.readFully(b);
        return ContactHeader.decode(b);
    }

    /**
     * Reads the next message.
     *
     *
     * @throws EOFException           when the stream ends (cleanly at a message boundary or mid-message)
     * @throws TcpclProtocolException when the message is unknown, malformed or too large
     * @return the message
     */
    public TcpclMessage readMessage() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("TCPCL stream ended at a message boundary");
        }
        return switch (type) {
            case TcpclMessage.XFER_SEGMENT -> readSegment();
            case TcpclMessage.XFER_ACK -> new TcpclMessage.XferAck(in.readUnsignedByte(), in.readLong(), in.readLong());
            case TcpclMessage.XFER_REFUSE -> new TcpclMessage.XferRefuse(in.readUnsignedByte(), in.readLong());
            case TcpclMessage.KEEPALIVE -> new TcpclMessage.Keepalive();
            case TcpclMessage.SESS_TERM -> new TcpclMessage.SessTerm(in.readUnsignedByte(), in.readUnsignedByte());
            case TcpclMessage.MSG_REJECT -> new TcpclMessage.MsgReject(in.readUnsignedByte(), in.readUnsignedByte());
            case TcpclMessage.SESS_INIT -> readSessInit();
            default -> throw new TcpclProtocolException(Kind.UNKNOWN_TYPE, type,
                    "unknown TCPCL message type 0x" + Integer.toHexString(type));
        };
    }

    private TcpclMessage.SessInit readSessInit() throws IOException {
        int keepalive = in.readUnsignedShort();
        long segmentMru = in.readLong();
        long transferMru = in.readLong();
        int idLength = in.readUnsignedShort();
        byte[] id = new byte[idLength]; // at most 65535 by construction
        in.readFully(id);
        String nodeId;
        try {
            nodeId = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(id)).toString();
        } catch (CharacterCodingException e) {
            throw new TcpclProtocolException(Kind.MALFORMED, TcpclMessage.SESS_INIT,
                    "SESS_INIT node ID is not valid UTF-8");
        }
        List<ExtensionItem> items = readItems(TcpclMessage.SESS_INIT);
        return new TcpclMessage.SessInit(keepalive, segmentMru, transferMru, nodeId, items);
    }

    private TcpclMessage.XferSegment readSegment() throws IOException {
        int flags = in.readUnsignedByte();
        long transferId = in.readLong();
        List<ExtensionItem> items = (flags & TcpclMessage.XferSegment.FLAG_START) != 0
                ? readItems(TcpclMessage.XFER_SEGMENT) : List.of();
        long dataLength = in.readLong();
        if (dataLength < 0 || dataLength > maxSegmentData) {
            throw new TcpclProtocolException(Kind.TOO_LARGE, TcpclMessage.XFER_SEGMENT,
                    "XFER_SEGMENT data length " + Long.toUnsignedString(dataLength)
                            + " exceeds this node's segment MRU " + maxSegmentData);
        }
        return new TcpclMessage.XferSegment(flags, transferId, items, dataLength);
    }

    private List<ExtensionItem> readItems(int messageType) throws IOException {
        long total = Integer.toUnsignedLong(in.readInt());
        if (total > maxExtensionsLength) {
            throw new TcpclProtocolException(Kind.TOO_LARGE, messageType, "extension item list of " + total
                    + " bytes exceeds the limit of " + maxExtensionsLength + " bytes");
        }
        List<ExtensionItem> items = new ArrayList<>();
        long remaining = total;
        while (remaining > 0) {
            if (remaining < 5) {
                throw new TcpclProtocolException(Kind.MALFORMED, messageType,
                        "extension item list ends inside an item header");
            }
            int flags = in.readUnsignedByte();
            int itemType = in.readUnsignedShort();
            int length = in.readUnsignedShort();
            remaining -= 5;
            if (length > remaining) {
                throw new TcpclProtocolException(Kind.MALFORMED, messageType, "extension item of type " + itemType
                        + " claims " + length + " bytes but only " + remaining + " remain in the list");
            }
            byte[] value = new byte[length];
            in.readFully(value);
            remaining -= length;
            items.add(new ExtensionItem(flags, itemType, value));
        }
        return items;
    }
}
