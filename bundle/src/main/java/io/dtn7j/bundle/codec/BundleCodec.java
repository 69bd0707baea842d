package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleDecodeException;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.InvalidBundleException;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes and decodes BPv7 bundles (RFC 9171 §4).
 *
 * <p>Decoding checks well-formedness (CBOR, structure, CRCs over the bytes as received) and then applies
 * the {@link ValidationPolicy} of the {@link DecodeOptions}. The decoded bundle remembers each block's
 * received bytes; encoding writes an unchanged block from them, so forwarding is byte-exact. Decoding a
 * file-backed {@link ByteSource} never reads the payload into the heap: block data become slices of the
 * source. Encoding computes every CRC afresh for blocks that changed.
 */
public final class BundleCodec {
    private BundleCodec() {}

    /**
     * Decodes one bundle that occupies all of {@code bytes}. The array is not copied: the bundle's data
     * refer into it, so it must not be modified afterwards.
     *
     *
     * @param bytes the encoded bundle
     * @param options the validation policy, size limit and deviation listener to apply
     * @throws BundleDecodeException if the bytes are not a well-formed bundle
     * @throws InvalidBundleException if the bundle breaks a rule the policy enforces
     * @return the bundle
     */
    public static Bundle decode(byte[] bytes, DecodeOptions options) {
        return decode(ByteSource.of(bytes), options);
    }

    /**
     * Decodes one bundle that occupies all of {@code source}.
     *
     *
     * @param source the encoded bundle
     * @param options the validation policy, size limit and deviation listener to apply
     * @throws BundleDecodeException if the bytes are not a well-formed bundle
     * @throws InvalidBundleException if the bundle breaks a rule the policy enforces
     * @return the bundle
     */
    public static Bundle decode(ByteSource source, DecodeOptions options) {
        if (source.size() > options.maxBundleSize()) {
            throw new BundleDecodeException(BundleDecodeException.Reason.TOO_LARGE, "bundle of " + source.size()
                    + " bytes exceeds the maximum of " + options.maxBundleSize(), -1);
        }
        Bundle b = BundleDecoder.parse(source, options.policy() == ValidationPolicy.PARSE_ONLY);
        BundleValidator.validate(b, options.policy(), options.deviationListener());
        return b;
    }

    /**
     * The encoding of {@code bundle} as an array.
     *
     *
     * @param bundle the bundle
     * @throws IllegalStateException if the encoding is larger than an array can hold (use {@link #encodeTo})
     * @return a new array holding the encoding
     */
    public static byte[] encode(Bundle bundle) {
        return BundleEncoder.encode(bundle);
    }

    /**
     * The encoding of {@code bundle} without copying its large data: small blocks are written into one new array,
     * while large data held in the heap (over 16 KiB), file-backed data and large received encodings are
     * referenced in place ({@link ByteSource#concat}). The bytes are the same as {@link #encode}'s. The returned
     * bundle remembers its blocks' encodings as slices of the result, so that a changed copy of it (e.g. for
     * forwarding) is encoded again with the unchanged blocks written from those bytes. Whoever keeps the result
     * keeps the referenced data alive (and, for a file, relies on it staying unchanged).
     *
     * @param bundle the bundle
     * @return the encoding, and the bundle remembering it
     * @throws java.io.UncheckedIOException if file-backed data cannot be read for a CRC
     */
    public static EncodedBundle encodeShared(Bundle bundle) {
        return BundleEncoder.encodeShared(bundle);
    }

    /**
     * The bytes of {@link #encodeShared} alone, for sending: a bundle without large data is encoded into one array
     * (as {@link #encode} does), one with large data references it in place.
     *
     * @param bundle the bundle
     * @return the encoding (the same bytes as {@link #encode}'s)
     * @throws java.io.UncheckedIOException if file-backed data cannot be read for a CRC
     */
    public static ByteSource encodeGathered(Bundle bundle) {
        return BundleEncoder.encodeGathered(bundle);
    }

    /**
     * Decodes with {@link DecodeOptions#DEFAULT}.
     *
     * @param bytes the encoded bundle
     * @return the bundle
     */
    public static Bundle decode(byte[] bytes) {
        return decode(bytes, DecodeOptions.DEFAULT);
    }

    /**
     * Writes the encoding of {@code bundle} to {@code out}, streaming file-backed data.
     *
     * @param bundle the bundle
     * @param out the stream the encoding is written to (not closed)
     * @throws IOException if writing to {@code out} or reading file-backed data fails
     */
    public static void encodeTo(Bundle bundle, OutputStream out) throws IOException {
        BundleEncoder.encodeTo(bundle, out);
    }

    /**
     * The size of {@code bundle}'s encoding in bytes, without encoding the payload.
     *
     * @param bundle the bundle
     * @return the encoded size in bytes
     */
    public static long encodedSize(Bundle bundle) {
        return BundleEncoder.encodedSize(bundle);
    }
}
