package io.dtn7j.bundle.admin;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An administrative record of a type this library does not interpret (anything but a bundle status report): the
 * record type code and the exact CBOR encoding of the record content, so it can be re-encoded unchanged.
 *
 * @param recordType the record type code
 * @param content    the CBOR encoding of the content item (one well-formed data item)
 */
public record UnknownAdministrativeRecord(long recordType, byte[] content) implements AdministrativeRecord {

    /** Checks the content is present and copies it. */
    public UnknownAdministrativeRecord {
        Objects.requireNonNull(content, "content");
        if (content.length == 0) {
            throw new IllegalArgumentException("the record content must be one CBOR data item, not empty");
        }
        content = content.clone();
    }

    /** {@return the content's encoding (a copy)} */
    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownAdministrativeRecord u && u.recordType == recordType && Arrays.equals(u.content, content);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(recordType) * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "UnknownAdministrativeRecord[type=" + Long.toUnsignedString(recordType) + ", content="
                + HexFormat.of().formatHex(content) + "]";
    }
}
