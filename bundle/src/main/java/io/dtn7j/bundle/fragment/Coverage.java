package io.dtn7j.bundle.fragment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The set of byte ranges of an application data unit received so far, kept as disjoint, non-adjacent half-open
 * intervals. Its size is bounded by the number of fragments received, never by a claimed length.
 */
final class Coverage {

    /** start → end (exclusive) of each disjoint interval. */
    private final TreeMap<Long, Long> intervals = new TreeMap<>();
    private long covered;

    /** Bytes covered so far. */
    long covered() {
        return covered;
    }

    /** Number of disjoint intervals. */
    int intervalCount() {
        return intervals.size();
    }

    /** Whether {@code [0, length)} is covered completely. */
    boolean coversAll(long length) {
        if (length == 0) {
            return true;
        }
        Map.Entry<Long, Long> first = intervals.firstEntry();
        return first != null && first.getKey() == 0 && first.getValue() >= length;
    }

    /**
     * The parts of {@code [start, end)} not yet covered, in ascending order, each as {@code {from, to}}; then marks
     * the whole range covered.
     */
    List<long[]> add(long start, long end) {
        List<long[]> gaps = new ArrayList<>(2);
        if (start >= end) {
            return gaps;
        }
        long cursor = start;
        Map.Entry<Long, Long> e = intervals.floorEntry(start);
        if (e == null || e.getValue() < start) {
            e = intervals.ceilingEntry(start);
        }
        while (e != null && e.getKey() < end && cursor < end) {
            if (e.getKey() > cursor) {
                gaps.add(new long[] {cursor, e.getKey()});
            }
            cursor = Math.max(cursor, e.getValue());
            e = intervals.higherEntry(e.getKey());
        }
        if (cursor < end) {
            gaps.add(new long[] {cursor, end});
        }
        for (long[] g : gaps) {
            covered += g[1] - g[0];
        }
        merge(start, end);
        return gaps;
    }

    private void merge(long start, long end) {
        long newStart = start;
        long newEnd = end;
        Map.Entry<Long, Long> lower = intervals.floorEntry(start);
        if (lower != null && lower.getValue() >= start) {
            newStart = lower.getKey();
            newEnd = Math.max(newEnd, lower.getValue());
        }
        Map.Entry<Long, Long> next = intervals.ceilingEntry(newStart);
        while (next != null && next.getKey() <= newEnd) {
            newEnd = Math.max(newEnd, next.getValue());
            intervals.remove(next.getKey());
            next = intervals.ceilingEntry(newStart);
        }
        intervals.put(newStart, newEnd);
    }
}
