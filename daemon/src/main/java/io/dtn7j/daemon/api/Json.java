package io.dtn7j.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

/** JSON and CBOR mappers with dtn7-rs's output style (serde_json's 2-space pretty printing). */
public final class Json {
    /** Plain JSON mapper. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** CBOR mapper (WebSocket data mode). */
    public static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final ObjectWriter PRETTY;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(separators);
        printer.indentArraysWith(indenter);
        printer.indentObjectsWith(indenter);
        PRETTY = MAPPER.writer(printer);
    }

    private Json() {
    }

    /**
     * serde_json {@code to_string_pretty} style.
     *
     * @param value the value to serialise
     * @return the JSON text, indented
     */
    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * Compact JSON.
     *
     * @param value the value to serialise
     * @return the JSON text, on one line
     */
    public static String compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
