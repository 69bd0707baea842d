package io.dtn7j.bundle.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CoverageTest {

    @Test
    void reportsOnlyTheUncoveredParts() {
        Coverage c = new Coverage();
        assertThat(c.add(10, 20)).containsExactly(new long[] {10, 20});
        assertThat(c.add(0, 5)).containsExactly(new long[] {0, 5});
        assertThat(c.add(3, 25)).containsExactly(new long[] {5, 10}, new long[] {20, 25});
        assertThat(c.intervalCount()).isEqualTo(1);
        assertThat(c.covered()).isEqualTo(25);
        assertThat(c.coversAll(25)).isTrue();
        assertThat(c.coversAll(26)).isFalse();
        assertThat(c.add(0, 25)).isEmpty();
    }

    @Test
    void adjacentRangesMerge() {
        Coverage c = new Coverage();
        c.add(5, 10);
        c.add(0, 5);
        c.add(10, 12);
        assertThat(c.intervalCount()).isEqualTo(1);
        assertThat(c.coversAll(12)).isTrue();
    }

    /** Compares against a bit set: gaps are exactly the newly set bits, and the interval set stays disjoint. */
    @Property(tries = 300)
    void agreesWithABitSet(@ForAll @Size(max = 30) List<@IntRange(max = 200) Integer> starts,
                           @ForAll @Size(max = 30) List<@IntRange(max = 60) Integer> lengths) {
        Coverage c = new Coverage();
        BitSet model = new BitSet();
        for (int i = 0; i < Math.min(starts.size(), lengths.size()); i++) {
            int s = starts.get(i);
            int e = s + lengths.get(i);
            BitSet fresh = new BitSet();
            fresh.set(s, e);
            fresh.andNot(model);
            BitSet reported = new BitSet();
            for (long[] g : c.add(s, e)) {
                assertThat(g[0]).isLessThan(g[1]);
                reported.set((int) g[0], (int) g[1]);
            }
            assertThat(reported).isEqualTo(fresh);
            model.set(s, e);
            assertThat(c.covered()).isEqualTo(model.cardinality());
            int firstClear = model.nextClearBit(0);
            assertThat(c.coversAll(firstClear)).isTrue();
            assertThat(c.coversAll(firstClear + 1)).isFalse();
        }
    }
}
