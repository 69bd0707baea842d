package io.dtn7j.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtn7j.bundle.BundleId;
import io.dtn7j.bundle.ByteSource;
import io.dtn7j.core.store.BundleMetadata;
import io.dtn7j.core.store.Constraint;
import io.dtn7j.core.store.StoreException;
import io.dtn7j.core.store.StoreFullException;
import io.dtn7j.core.store.StoreLimits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Model-based property: any sequence of puts (new and replacing, inline and file-backed), metadata updates,
 * removals and reopenings leaves the store exactly like a simple map with the same limits: same contents,
 * same bytes, same refusals, same totals.
 */
class StoreModelPropertyTest {

    private static final StoreLimits LIMITS = new StoreLimits(6, 1500);
    private static final SqliteStoreOptions OPTIONS = SqliteStoreOptions.DEFAULTS.withInlineThreshold(100);

    sealed interface Op permits Put, Update, Remove, Reopen {
    }

    record Put(int bundle, int size, long seed) implements Op {
    }

    record Update(int bundle, int copies) implements Op {
    }

    record Remove(int bundle) implements Op {
    }

    record Reopen() implements Op {
    }

    record Entry(byte[] bytes, BundleMetadata metadata) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> bundle = Arbitraries.integers().between(0, 9);
        Arbitrary<Op> put = Combinators.combine(bundle, Arbitraries.integers().between(0, 400), Arbitraries.longs())
                .as(Put::new);
        Arbitrary<Op> update = Combinators.combine(bundle, Arbitraries.integers().between(0, 5)).as(Update::new);
        Arbitrary<Op> remove = bundle.map(Remove::new);
        Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, put), net.jqwik.api.Tuple.of(2, update),
                net.jqwik.api.Tuple.of(2, remove), net.jqwik.api.Tuple.of(1, reopen)).list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 15)
    void storeBehavesLikeABoundedMap(@ForAll("operations") List<Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("dtn7j-store-model");
        Map<Integer, Entry> model = new HashMap<>();
        SqliteBundleStore store = SqliteBundleStore.open(dir, LIMITS, OPTIONS);
        try {
            for (Op op : ops) {
                SqliteBundleStore current = store;
                switch (op) {
                    case Put p -> {
                        byte[] bytes = new byte[p.size()];
                        new Random(p.seed()).nextBytes(bytes);
                        BundleMetadata md = metadata(p.bundle(), p.size(), -1);
                        long count = model.size();
                        long total = model.values().stream().mapToLong(e -> e.bytes.length).sum();
                        Entry old = model.get(p.bundle());
                        boolean fits = old == null
                                ? LIMITS.admits(count, total, p.size())
                                : p.size() <= LIMITS.maxBytes() - (total - old.bytes.length);
                        if (fits) {
                            store.put(id(p.bundle()), ByteSource.of(bytes), md);
                            model.put(p.bundle(), new Entry(bytes, md));
                        } else {
                            assertThatThrownBy(() -> current.put(id(p.bundle()), ByteSource.of(bytes), md))
                                    .isInstanceOf(StoreFullException.class);
                        }
                    }
                    case Update u -> {
                        Entry e = model.get(u.bundle());
                        if (e == null) {
                            assertThatThrownBy(() -> current.updateMetadata(id(u.bundle()), metadata(u.bundle(), 1, u.copies())))
                                    .isInstanceOf(StoreException.class);
                        } else {
                            BundleMetadata md = metadata(u.bundle(), e.bytes.length, u.copies());
                            store.updateMetadata(id(u.bundle()), md);
                            model.put(u.bundle(), new Entry(e.bytes, md));
                        }
                    }
                    case Remove r -> assertThat(store.remove(id(r.bundle()))).isEqualTo(model.remove(r.bundle()) != null);
                    case Reopen r -> {
                        store.close();
                        store = SqliteBundleStore.open(dir, LIMITS, OPTIONS);
                    }
                }
                assertMatches(store, model);
            }
            try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
                assertThat(tmp).isEmpty();
            }
            try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
                assertThat(files.filter(Files::isRegularFile).count())
                        .isEqualTo(model.values().stream().filter(e -> e.bytes.length > 100).count());
            }
        } finally {
            store.close();
            deleteTree(dir);
        }
    }

    private static void assertMatches(SqliteBundleStore store, Map<Integer, Entry> model) {
        assertThat(store.count()).isEqualTo(model.size());
        assertThat(store.bytes()).isEqualTo(model.values().stream().mapToLong(e -> e.bytes.length).sum());
        for (int b = 0; b < 10; b++) {
            Entry e = model.get(b);
            if (e == null) {
                assertThat(store.contains(id(b))).isFalse();
                assertThat(store.encoded(id(b))).isEmpty();
                assertThat(store.metadata(id(b))).isEmpty();
            } else {
                assertThat(store.contains(id(b))).isTrue();
                assertThat(store.encoded(id(b)).orElseThrow().toByteArray()).isEqualTo(e.bytes);
                assertThat(store.metadata(id(b))).contains(e.metadata);
            }
        }
        Map<BundleId, BundleMetadata> walked = new HashMap<>();
        store.forEach(md -> walked.put(md.id(), md));
        assertThat(walked).hasSize(model.size());
        model.forEach((b, e) -> assertThat(walked.get(id(b))).isEqualTo(e.metadata));
    }

    private static BundleId id(int b) {
        return CrashWorkload.id(b);
    }

    private static BundleMetadata metadata(int b, int size, int copies) {
        return CrashWorkload.metadata(b).withSize(size).withCopies(copies).with(Constraint.DISPATCH_PENDING);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
