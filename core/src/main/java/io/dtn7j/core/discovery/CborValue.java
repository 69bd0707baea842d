package io.dtn7j.core.discovery;

import java.util.Arrays;
import java.util.List;

/**
 * A decoded CBOR data item, as produced by {@link BoundedCborParser}. Only what beacons need is distinguished;
 * everything else is still parsed (so it can be rejected with a clear reason) and kept generic.
 */
sealed interface CborValue {

    /** Major type 0; {@code value} holds the 64 unsigned bits. */
    record UInt(long value) implements CborValue {
        boolean fitsIn(long maxInclusive) {
            return Long.compareUnsigned(value, maxInclusive) <= 0;
        }

        @Override
        public String toString() {
            return Long.toUnsignedString(value);
        }
    }

    /** Major type 1: the value is {@code -1 - raw} (raw as unsigned). */
    record NegInt(long raw) implements CborValue {
    }

    /** Major type 2. */
    record Bytes(byte[] value) implements CborValue {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bytes[" + value.length + "]";
        }
    }

    /** Major type 3 (valid UTF-8). */
    record Text(String value) implements CborValue {
    }

    /** Major type 4 (definite or indefinite). */
    record Array(List<CborValue> items) implements CborValue {
    }

    /** Major type 5, entries in received order. */
    record MapValue(List<Entry> entries) implements CborValue {
    }

    /** One key/value pair of a {@link MapValue}. */
    record Entry(CborValue key, CborValue value) {
    }

    /** Major type 6. */
    record Tagged(long tag, CborValue content) implements CborValue {
    }

    /** Major type 7 simple values (false 20, true 21, null 22, undefined 23, others). */
    record Simple(int value) implements CborValue {
        static final int NULL = 22;
    }

    /** Major type 7 floats of any width. */
    record FloatValue(double value) implements CborValue {
    }
}
