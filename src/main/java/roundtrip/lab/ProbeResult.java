package roundtrip.lab;

/**
 * What the real kernel did with one probe.
 *
 * @param requestDelivered tcpdump on the target saw the request arrive
 * @param verdict          ROUND_TRIP_OK (a real answer came back), else REQUEST_LOST or REPLY_LOST (design §2)
 * @param dataDelivered    tcp only: the data line came back after the handshake; null when not measured
 * @param errorReceived    the first RST or ICMP error the prober's host received during the probe, as
 *                         tcpdump printed it (e.g. "eth0 In IP 10.1.0.1 > 10.1.0.2: ICMP ... unreachable"); null if none
 * @param detail           the prober's raw JSON answer, for messages
 */
public record ProbeResult(String id, boolean requestDelivered, String verdict, Boolean dataDelivered,
                          String errorReceived, String detail) {
    public static final String OK = "ROUND_TRIP_OK";
    public static final String REQUEST_LOST = "REQUEST_LOST";
    public static final String REPLY_LOST = "REPLY_LOST";

    public String toJson() {
        return "{\"id\":" + quote(id) + ",\"requestDelivered\":" + requestDelivered + ",\"verdict\":\"" + verdict + "\""
                + (dataDelivered == null ? "" : ",\"dataDelivered\":" + dataDelivered)
                + (errorReceived == null ? "" : ",\"errorReceived\":" + quote(errorReceived))
                + ",\"detail\":" + detail + "}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
