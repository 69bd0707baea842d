package io.dtn7j.store.sqlite;

/**
 * One bundle's row in the index.
 *
 * @param id          the bundle ID's string form (unique key)
 * @param destination the destination EID's URI (indexed, for lookups by destination)
 * @param expiry      expiry time as DTN milliseconds (indexed, for the janitor)
 * @param size        length of the encoded bundle in bytes
 * @param metadata    the agent's opaque processing state
 * @param inlineData  the encoded bundle when it is stored inside the database, else null
 * @param fileName    the payload file's name when the encoded bundle is stored in a file, else null
 */
record IndexRow(String id, String destination, long expiry, long size, byte[] metadata, byte[] inlineData,
                String fileName) {

    IndexRow {
        if ((inlineData == null) == (fileName == null)) {
            throw new IllegalArgumentException("a row holds its bundle either inline or in a file, not both or neither");
        }
    }
}
