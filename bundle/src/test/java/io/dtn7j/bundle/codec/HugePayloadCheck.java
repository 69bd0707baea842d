package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.BlockType;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Run in a JVM with a small heap: encodes a bundle with a file-backed payload of the given size to a file,
 * decodes it from the file (strict), checks the payload is a slice of the file, re-encodes it streaming and
 * compares digests, then changes the hop count and round-trips again. Prints one line per step; exit
 * status 0 on success.
 *
 * <p>Usage: {@code HugePayloadCheck <dir> <payload bytes>}
 */
public final class HugePayloadCheck {
    private HugePayloadCheck() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        long t0 = System.nanoTime();
        Path payload = dir.resolve("payload.bin");
        try (RandomAccessFile f = new RandomAccessFile(payload.toFile(), "rw")) {
            f.setLength(size); // sparse: reads as zeros
            f.seek(0);
            f.write("head".getBytes());
            f.seek(size - 4);
            f.write("tail".getBytes());
        }
        Bundle b = Bundle.builder().source("dtn://big/src").destination("dtn://far/sink").creation(1, 0)
                .crcType(CrcType.CRC32C).hopLimit(16).payload(ByteSource.ofFile(payload)).build();
        Path encoded = dir.resolve("bundle.cbor");
        String d1;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(encoded), 1 << 16)) {
            d1 = encodeDigest(b, out);
        }
        long encSize = Files.size(encoded);
        check(encSize == BundleCodec.encodedSize(b), "encodedSize " + BundleCodec.encodedSize(b) + " == file size " + encSize);
        step("encoded", t0, encSize);

        long t1 = System.nanoTime();
        Bundle d = BundleCodec.decode(ByteSource.ofFile(encoded), DecodeOptions.STRICT);
        ByteSource p = d.payload();
        check(!p.hasArray(), "payload is file-backed");
        check(p.size() == size, "payload size " + p.size());
        byte[] head = new byte[4];
        p.read(0, head, 0, 4);
        byte[] tail = new byte[4];
        p.read(size - 4, tail, 0, 4);
        check(new String(head).equals("head") && new String(tail).equals("tail"), "payload head/tail");
        step("decoded (strict, CRC-32C verified)", t1, encSize);

        long t2 = System.nanoTime();
        String d2 = encodeDigest(d, OutputStream.nullOutputStream());
        check(d1.equals(d2), "re-encoding is byte-exact (SHA-256 " + d2.substring(0, 16) + "...)");
        step("re-encoded from received bytes", t2, encSize);

        long t3 = System.nanoTime();
        CanonicalBlock hop = d.block(BlockType.HOP_COUNT).orElseThrow();
        Bundle fwd = d.withBlock(hop.asHopCount().incremented().toBlock(hop.number(), hop.crcType()))
                .withBlock(d.payloadBlock().withCrcType(CrcType.CRC16));
        Path encoded2 = dir.resolve("bundle2.cbor");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(encoded2), 1 << 16)) {
            BundleCodec.encodeTo(fwd, out);
        }
        Bundle d3 = BundleCodec.decode(ByteSource.ofFile(encoded2), DecodeOptions.STRICT);
        check(d3.hopCount().orElseThrow().count() == 1, "hop count incremented");
        check(d3.payloadBlock().crcType() == CrcType.CRC16 && d3.payload().size() == size, "payload re-encoded with CRC-16");
        step("modified, encoded with fresh CRCs and decoded again", t3, Files.size(encoded2));
        Runtime rt = Runtime.getRuntime();
        System.out.printf("max heap %d MiB; payload %d bytes%n", rt.maxMemory() >> 20, size);
        Files.delete(encoded2);
        Files.delete(encoded);
        Files.delete(payload);
    }

    private static String encodeDigest(Bundle b, OutputStream sink) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (DigestOutputStream out = new DigestOutputStream(sink, md) {
            @Override
            public void close() throws IOException {
                flush();
            }
        }) {
            BundleCodec.encodeTo(b, out);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAILED: " + what);
            System.exit(1);
        }
        System.out.println("ok: " + what);
    }

    private static void step(String what, long t0, long bytes) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %d bytes in %.2f s (%.0f MB/s)%n", what, bytes, s, bytes / 1e6 / s);
    }

}
