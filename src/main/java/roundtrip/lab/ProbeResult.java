package roundtrip.lab;

/**
 * What the real kernel did with one probe. {@code dataDelivered} is null unless a tcp handshake succeeded
 * and the data phase ran. {@code detail} is the prober's raw answer (for messages only).
 */
public record ProbeResult(String id, boolean requestDelivered, String verdict, Boolean dataDelivered, String detail) {
    public static final String OK = "ROUND_TRIP_OK";
    public static final String REQUEST_LOST = "REQUEST_LOST";
    public static final String REPLY_LOST = "REPLY_LOST";

    public String toJson() {
        return "{\"id\":\"" + id + "\",\"requestDelivered\":" + requestDelivered + ",\"verdict\":\"" + verdict + "\""
                + (dataDelivered == null ? "" : ",\"dataDelivered\":" + dataDelivered)
                + ",\"detail\":" + detail + "}";
    }
}
