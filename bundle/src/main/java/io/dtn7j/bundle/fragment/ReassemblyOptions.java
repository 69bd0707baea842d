package io.dtn7j.bundle.fragment;

import java.nio.file.Path;

/**
 * Limits and storage of a {@link Reassembler}.
 *
 * @param maxBufferedBytes bytes of fragment payload held in the heap across all pending bundles; beyond it the least
 *                         recently updated bundles are dropped
 * @param maxPending       bundles under reassembly at once; beyond it the least recently updated one is dropped
 * @param maxAduLength     largest total ADU length accepted at all
 * @param spillDirectory   where ADUs longer than {@code spillThreshold} are written as they arrive (one file each,
 *                         written sparse at the fragments' offsets), or null to buffer everything in the heap
 * @param spillThreshold   ADUs longer than this go to a file in {@code spillDirectory} (when it is set)
 */
public record ReassemblyOptions(long maxBufferedBytes, int maxPending, long maxAduLength, Path spillDirectory,
                                long spillThreshold) {

    /** Heap only: 64 MiB of buffered fragments, 1024 pending bundles, ADUs up to 64 MiB. */
    public static final ReassemblyOptions DEFAULT = new ReassemblyOptions(64L << 20, 1024, 64L << 20, null, 1L << 20);

    /** Checks the limits are positive. */
    public ReassemblyOptions {
        if (maxBufferedBytes <= 0 || maxPending <= 0 || maxAduLength <= 0 || spillThreshold < 0) {
            throw new IllegalArgumentException("reassembly limits must be positive");
        }
    }

    /**
     * These options with ADUs longer than {@code threshold} bytes written to files in {@code directory}; ADUs up
     * to
     * {@code maxAdu} bytes are then accepted.
     *
     * @param directory where large ADUs are spilled
     * @param threshold ADUs longer than this many bytes go to files
     * @param maxAdu the largest ADU accepted, in bytes
     * @return the copy
     */
    public ReassemblyOptions withSpillDirectory(Path directory, long threshold, long maxAdu) {
        return new ReassemblyOptions(maxBufferedBytes, maxPending, maxAdu, directory, threshold);
    }

    /**
     * These options with another heap budget.
     *
     * @param max the largest number of payload bytes held in the heap across pending bundles
     * @return the copy
     */
    public ReassemblyOptions withMaxBufferedBytes(long max) {
        return new ReassemblyOptions(max, maxPending, maxAduLength, spillDirectory, spillThreshold);
    }

    /**
     * These options with another limit on pending bundles.
     *
     * @param max the largest number of bundles being reassembled at once
     * @return the copy
     */
    public ReassemblyOptions withMaxPending(int max) {
        return new ReassemblyOptions(maxBufferedBytes, max, maxAduLength, spillDirectory, spillThreshold);
    }
}
