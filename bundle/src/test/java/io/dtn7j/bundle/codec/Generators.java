package io.dtn7j.bundle.codec;

import io.dtn7j.bundle.BlockFlags;
import io.dtn7j.bundle.BlockType;
import io.dtn7j.bundle.Bundle;
import io.dtn7j.bundle.BundleFlags;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.bundle.CanonicalBlock;
import io.dtn7j.bundle.CrcType;
import io.dtn7j.bundle.CreationTimestamp;
import io.dtn7j.bundle.DtnEndpointId;
import io.dtn7j.bundle.EndpointId;
import io.dtn7j.bundle.FragmentInfo;
import io.dtn7j.bundle.IpnEndpointId;
import io.dtn7j.bundle.PrimaryBlock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;

/** jqwik generators of EIDs, blocks and bundles (any well-formed bundle, not only RFC-valid ones). */
final class Generators {
    private Generators() {}

    static Arbitrary<Long> u64() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 30), Arbitraries.longs().between(0, 70_000),
                Arbitraries.longs(), Arbitraries.of(0L, 23L, 24L, 255L, 256L, 65535L, 65536L, 0xFFFF_FFFFL,
                        0x1_0000_0000L, Long.MAX_VALUE, -1L));
    }

    static Arbitrary<Long> u32() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs().between(0, 0xFFFF_FFFFL));
    }

    static Arbitrary<String> name() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-._~").ofMinLength(1).ofMaxLength(20);
    }

    static Arbitrary<EndpointId> eid() {
        Arbitrary<EndpointId> dtn = Combinators.combine(name(),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30)).as(EndpointId::dtn);
        Arbitrary<EndpointId> noSlash = name().map(n -> new DtnEndpointId("//" + n));
        Arbitrary<EndpointId> ipn2 = Combinators.combine(u64(), u64()).as(EndpointId::ipn);
        Arbitrary<EndpointId> ipn3 = Combinators.combine(u32(), u32(), u64()).as((a, n, s) -> new IpnEndpointId(a, n, s, true));
        return Arbitraries.oneOf(Arbitraries.just(EndpointId.NONE), dtn, noSlash, ipn2, ipn3);
    }

    static Arbitrary<CrcType> crc() {
        return Arbitraries.of(CrcType.class);
    }

    static Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    static Arbitrary<PrimaryBlock> primary() {
        Arbitrary<FragmentInfo> frag = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(0, Long.MAX_VALUE)).as(FragmentInfo::new).injectNull(0.6);
        return Combinators.combine(u64(), crc(), eid(), eid(), eid(), u64(), u64(), u64()).flatAs(
                (flags, crc, d, s, r, t, seq, life) -> frag.map(f -> new PrimaryBlock(7,
                        BundleFlags.of(flags).with(BundleFlags.IS_FRAGMENT, f != null), crc, d, s, r,
                        new CreationTimestamp(t, seq), life, f)));
    }

    /** A block of the given kind; 0 = unknown type with random data. */
    static Arbitrary<CanonicalBlock> extension() {
        Arbitrary<CanonicalBlock> prev = Combinators.combine(eid(), crc()).as((e, c) -> CanonicalBlock.previousNode(0, e, c));
        Arbitrary<CanonicalBlock> age = Combinators.combine(u64(), crc()).as((a, c) -> CanonicalBlock.bundleAge(0, a, c));
        Arbitrary<CanonicalBlock> hop = Combinators.combine(u64(), u64(), crc()).as((l, n, c) -> CanonicalBlock.hopCount(0, l, n, c));
        Arbitrary<CanonicalBlock> unknown = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.longs().between(11, 300), u64().filter(t -> t != BlockType.PAYLOAD)),
                bytes(64), crc()).as((t, d, c) -> new CanonicalBlock(t, 0, BlockFlags.NONE, c, ByteSource.of(d)));
        return Arbitraries.oneOf(prev, age, hop, unknown);
    }

    /** Well-formed bundles: extension blocks numbered uniquely, payload (block 1) last; flags random. */
    static Arbitrary<Bundle> bundles() {
        Arbitrary<List<CanonicalBlock>> exts = extension().list().ofMaxSize(5);
        Arbitrary<List<Long>> blockFlags = u64().list().ofSize(6);
        return Combinators.combine(primary(), exts, blockFlags, bytes(300), crc(), Arbitraries.longs().between(2, 1000))
                .as((p, ex, fl, payload, pcrc, firstNumber) -> {
                    List<CanonicalBlock> blocks = new ArrayList<>();
                    long n = firstNumber;
                    int i = 0;
                    for (CanonicalBlock b : ex) {
                        blocks.add(b.withNumber(n++).withFlags(BlockFlags.of(fl.get(i++))));
                    }
                    blocks.add(new CanonicalBlock(BlockType.PAYLOAD, 1, BlockFlags.of(fl.get(5)), pcrc, ByteSource.of(payload)));
                    return Bundle.of(p, blocks);
                });
    }

    /** RFC-valid bundles built with the builder (all EID kinds, CRC types, extension blocks, fragments). */
    static Arbitrary<Bundle> validBundles() {
        Arbitrary<EndpointId> canonicalEid = eid().filter(e -> !(e instanceof DtnEndpointId d && d.isMissingTrailingSlash()))
                .filter(e -> !e.isNone());
        return Combinators.combine(canonicalEid, canonicalEid, Arbitraries.of(CrcType.CRC16, CrcType.CRC32C),
                Arbitraries.longs().between(1, Long.MAX_VALUE), u64(), bytes(500),
                Arbitraries.integers().between(0, 7), Arbitraries.longs().between(1, 255)).as(
                (src, dst, crc, time, seq, payload, extras, hop) -> {
                    var b = Bundle.builder().source(src).destination(dst).crcType(crc).creation(time, seq)
                            .payload(payload);
                    if ((extras & 1) != 0) {
                        b.hopLimit(hop);
                    }
                    if ((extras & 2) != 0) {
                        b.bundleAgeMs(seq & 0xFFFF);
                    }
                    if ((extras & 4) != 0) {
                        b.previousNode(src.nodeId());
                        b.fragment(new FragmentInfo(time % 1000, time % 1000 + payload.length + (seq & 0xFF)));
                    }
                    return b.build();
                });
    }
}
