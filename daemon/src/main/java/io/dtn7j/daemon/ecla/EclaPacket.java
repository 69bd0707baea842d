package io.dtn7j.daemon.ecla;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtn7j.daemon.api.Json;
import io.dtn7j.daemon.api.StatusJson;
import java.util.Base64;
import java.util.Objects;

/**
 * The packets of dtn7-rs's external convergence layer protocol (dtn7-compat.md §10.4): JSON objects tagged by
 * {@code type}, one per WebSocket text frame. Byte fields ({@code data}, {@code service_block}) are standard base64,
 * EIDs serde's {@code [scheme, ssp]} arrays.
 */
public sealed interface EclaPacket {

    /** Largest accepted module name, as dtnd. */
    int MAX_NAME_LENGTH = 64;

    /**
     * A module registers a CLA ({@code Register}).
     *
     * @param name the CLA name, 1..64 characters
     * @param enableBeacon whether dtnd should send it beacons
     * @param port the module's port on its transport, or null
     */
    record Register(String name, boolean enableBeacon, Integer port) implements EclaPacket {
    }

    /**
     * The daemon accepted a registration ({@code Registered}).
     *
     * @param nodeId the node ID text ({@code eid} is derived from it)
     */
    record Registered(String nodeId) implements EclaPacket {
    }

    /**
     * A node advertisement ({@code Beacon}), in either direction.
     *
     * @param eid the advertised node's ID text
     * @param addr its address on the module's transport ("" when the daemon sends its own)
     * @param serviceBlock the CBOR service block {@code [clas, services]} (dtn7-compat.md §7.3)
     */
    record Beacon(String eid, String addr, byte[] serviceBlock) implements EclaPacket {
        /** Requires every field. */
        public Beacon {
            Objects.requireNonNull(eid, "eid");
            Objects.requireNonNull(addr, "addr");
            Objects.requireNonNull(serviceBlock, "serviceBlock");
        }
    }

    /**
     * A bundle to transmit (daemon → module) or one received (module → daemon) ({@code ForwardData}).
     *
     * @param src transport address of the sender ("" from the daemon)
     * @param dst transport address of the receiver ({@code <addr>:<port>} from the daemon)
     * @param bundleId dtn7-rs's bundle ID string
     * @param data the encoded bundle
     */
    record ForwardData(String src, String dst, String bundleId, byte[] data) implements EclaPacket {
        /** Requires every field. */
        public ForwardData {
            Objects.requireNonNull(src, "src");
            Objects.requireNonNull(dst, "dst");
            Objects.requireNonNull(bundleId, "bundleId");
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Something went wrong ({@code Error}).
     *
     * @param reason what, in words
     */
    record Error(String reason) implements EclaPacket {
    }

    /**
     * The packet's JSON text, {@code type} first.
     *
     * @return the JSON text
     */
    default String toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        switch (this) {
            case Register r -> {
                o.put("type", "Register");
                o.put("name", r.name());
                o.put("enable_beacon", r.enableBeacon());
                if (r.port() == null) {
                    o.putNull("port");
                } else {
                    o.put("port", r.port());
                }
            }
            case Registered r -> {
                o.put("type", "Registered");
                o.set("eid", Json.MAPPER.valueToTree(StatusJson.eidArray(r.nodeId())));
                o.put("nodeid", r.nodeId());
            }
            case Beacon b -> {
                o.put("type", "Beacon");
                o.set("eid", Json.MAPPER.valueToTree(StatusJson.eidArray(b.eid())));
                o.put("addr", b.addr());
                o.put("service_block", Base64.getEncoder().encodeToString(b.serviceBlock()));
            }
            case ForwardData f -> {
                o.put("type", "ForwardData");
                o.put("src", f.src());
                o.put("dst", f.dst());
                o.put("bundle_id", f.bundleId());
                o.put("data", Base64.getEncoder().encodeToString(f.data()));
            }
            case Error e -> {
                o.put("type", "Error");
                o.put("reason", e.reason());
            }
        }
        return o.toString();
    }

    /**
     * Parses one packet.
     *
     * @param json the text frame
     * @return the packet
     * @throws EclaProtocolException naming what is wrong
     */
    static EclaPacket parse(String json) throws EclaProtocolException {
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EclaProtocolException("packet is not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new EclaProtocolException("packet must be a JSON object with a \"type\"");
        }
        String type = text(o, "type");
        try {
            return switch (type) {
                case "Register" -> {
                    String name = text(o, "name");
                    JsonNode beacon = o.get("enable_beacon");
                    if (beacon == null || !beacon.isBoolean()) {
                        throw new EclaProtocolException("Register needs \"enable_beacon\": true or false");
                    }
                    JsonNode port = o.get("port");
                    Integer p = null;
                    if (port != null && !port.isNull()) {
                        if (!port.canConvertToInt() || !port.isIntegralNumber() || port.asInt() < 0 || port.asInt() > 65535) {
                            throw new EclaProtocolException("Register \"port\" must be null or 0..65535, got " + port);
                        }
                        p = port.asInt();
                    }
                    yield new Register(name, beacon.asBoolean(), p);
                }
                case "Registered" -> new Registered(text(o, "nodeid"));
                case "Beacon" -> new Beacon(StatusJson.eidFromJson(o.get("eid")), optText(o, "addr"),
                        base64(o, "service_block"));
                case "ForwardData" -> new ForwardData(optText(o, "src"), optText(o, "dst"), optText(o, "bundle_id"),
                        base64(o, "data"));
                case "Error" -> new Error(text(o, "reason"));
                default -> throw new EclaProtocolException("unknown packet type \"" + type
                        + "\" (known: Register, Registered, Beacon, ForwardData, Error)");
            };
        } catch (IllegalArgumentException e) {
            throw new EclaProtocolException(type + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode o, String field) throws EclaProtocolException {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new EclaProtocolException("packet needs a string \"" + field + "\"");
        }
        return v.asText();
    }

    private static String optText(JsonNode o, String field) throws EclaProtocolException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new EclaProtocolException("\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static byte[] base64(JsonNode o, String field) throws EclaProtocolException {
        String v = text(o, field);
        try {
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw new EclaProtocolException("\"" + field + "\" is not standard base64: " + e.getMessage());
        }
    }
}
