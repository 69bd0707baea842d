package io.dtn7j.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of {@code /status/peers} and {@code /status/info} (dtn7-compat.md §4.4). */
public final class StatusJson {
    private StatusJson() {
    }

    /**
     * EID as serde writes it: {@code [1,"//node2/"]}, {@code [2,[23,0]]}, {@code [1,0]}.
     *
     * @param eid the endpoint ID text
     * @return the JSON-ready array
     */
    public static Object eidArray(String eid) {
        if (eid.equals("dtn:none")) {
            return List.of(1, 0);
        }
        if (eid.startsWith("dtn:")) {
            return List.of(1, eid.substring(4));
        }
        if (eid.startsWith("ipn:")) {
            String[] parts = eid.substring(4).split("\\.");
            List<Object> nums = new ArrayList<>();
            for (String p : parts) {
                try {
                    nums.add(Long.parseUnsignedLong(p));
                } catch (NumberFormatException e) {
                    nums.add(p);
                }
            }
            return List.of(2, nums);
        }
        return List.of(0, eid);
    }

    /**
     * Reads an EID in serde's JSON array form ({@code [1,"//node2/"]}, {@code [2,[23,0]]}, {@code [1,0]}); a plain
     * EID string is accepted too.
     *
     * @param node the JSON value
     * @return the endpoint ID text, e.g. {@code dtn://node2/}
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String eidFromJson(com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new IllegalArgumentException("endpoint ID is missing");
        }
        if (node.isTextual()) {
            return io.dtn7j.bundle.EndpointId.parse(node.asText()).uri();
        }
        if (!node.isArray() || node.size() != 2 || !node.get(0).canConvertToInt()) {
            throw new IllegalArgumentException("endpoint ID must be [scheme, ssp], got " + abbreviate(node.toString()));
        }
        int scheme = node.get(0).asInt();
        com.fasterxml.jackson.databind.JsonNode ssp = node.get(1);
        String text;
        if (scheme == 1 && ssp.isTextual()) {
            text = "dtn:" + ssp.asText();
        } else if (scheme == 1 && ssp.isIntegralNumber() && ssp.asLong() == 0) {
            text = "dtn:none";
        } else if (scheme == 2 && ssp.isArray() && ssp.size() == 2 && ssp.get(0).isIntegralNumber()
                && ssp.get(1).isIntegralNumber()) {
            text = "ipn:" + ssp.get(0).bigIntegerValue() + "." + ssp.get(1).bigIntegerValue();
        } else {
            throw new IllegalArgumentException("endpoint ID must be [1, \"//node/...\"], [1, 0] or [2, [node, service]], got "
                    + abbreviate(node.toString()));
        }
        return io.dtn7j.bundle.EndpointId.parse(text).uri();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /**
     * The peer key dtnd uses: the node name ({@code node2}) or the ipn node number ({@code 23}).
     *
     * @param nodeId the node ID text
     * @return the node name
     */
    public static String nodeName(String nodeId) {
        if (nodeId.startsWith("dtn://")) {
            String rest = nodeId.substring(6);
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        if (nodeId.startsWith("ipn:")) {
            String rest = nodeId.substring(4);
            int dot = rest.indexOf('.');
            return dot < 0 ? rest : rest.substring(0, dot);
        }
        return nodeId;
    }

    /**
     * The {@code /status/peers} object: node name → peer.
     *
     * @param peers the peers
     * @return the JSON-ready map (sorted by node name, as dtnd's BTreeMap)
     */
    public static Map<String, Object> peers(List<PeerSummary> peers) {
        Map<String, Object> out = new TreeMap<>();
        for (PeerSummary p : peers) {
            out.put(nodeName(p.nodeId()), peer(p));
        }
        return out;
    }

    /**
     * One peer in dtnd's {@code DtnPeer} JSON shape.
     *
     * @param p the peer
     * @return the JSON-ready map
     */
    public static Map<String, Object> peer(PeerSummary p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eid", eidArray(p.nodeId()));
        m.put("addr", isIpLiteral(p.host()) ? Map.of("Ip", p.host()) : Map.of("Generic", p.host()));
        m.put("con_type", p.isStatic() ? "Static" : "Dynamic");
        m.put("period", p.periodMs() == null ? null
                : ApiHandler.obj("secs", p.periodMs() / 1000, "nanos", (p.periodMs() % 1000) * 1_000_000));
        List<Object> clas = new ArrayList<>();
        for (PeerSummary.Cla c : p.clas()) {
            List<Object> pair = new ArrayList<>();
            pair.add(c.name());
            pair.add(c.port());
            clas.add(pair);
        }
        m.put("cla_list", clas);
        Map<String, String> services = new TreeMap<>((a, b) -> {
            try {
                return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
            } catch (NumberFormatException e) {
                return a.compareTo(b);
            }
        });
        services.putAll(p.services());
        m.put("services", services);
        m.put("last_contact", p.lastContactUnixSeconds());
        m.put("fails", p.fails());
        return m;
    }

    static boolean isIpLiteral(String host) {
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (host.contains(":") && host.matches("[0-9a-fA-F:.%a-zA-Z]+"));
    }

    static Map<String, Object> info(NodeService node, java.util.function.Predicate<String> active) {
        NodeStats s = node.stats();
        List<String> eids = node.registeredEndpoints();
        List<Object> regs = new ArrayList<>();
        for (String eid : eids) {
            regs.add(ApiHandler.obj("eid", eid, "active", active.test(eid),
                    "singleton", !eid.startsWith("dtn://") || !eid.substring(6).contains("/~"),
                    "default_failure_action", "Defer"));
        }
        long deleted = s.deletedByReason().values().stream().mapToLong(Long::longValue).sum();
        return ApiHandler.obj(
                "incoming", s.incoming(), "dups", s.duplicates(), "outgoing", s.outgoing(),
                "delivered", s.delivered(), "failed", s.failed(), "broken", s.broken(),
                "node", ApiHandler.obj(
                        "registrations", regs,
                        "node_state", ApiHandler.obj("administrative_eid", node.nodeId(), "bp_versions", List.of(7),
                                "storage_available", 0, "last_up_time", s.startedUnixSeconds(),
                                "registration_count", eids.size()),
                        "error_info", ApiHandler.obj("failed_forwards_bundle_count", s.failed(),
                                "abandoned_delivery_bundle_count", 0, "discarded_bundle_count", deleted),
                        "bundles", ApiHandler.obj("forward_pending_bundle_count", s.forwardPending(),
                                "dispatch_pending_bundle_count", s.dispatchPending(),
                                "reassembly_pending_bundle_count", 0, "bundles_created", s.created(),
                                "bundles_stored", s.storeCount(), "bundles_fragmented", 0,
                                "fragments_created", 0)));
    }
}
