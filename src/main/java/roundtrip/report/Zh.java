package roundtrip.report;

import java.util.List;
import java.util.Map;

import java.util.regex.Pattern;

import roundtrip.model.Message;

/**
 * Chinese by sentence id: each layer below `report` says what happened with a {@link Message} (an id and its values),
 * and this class fills the id's Chinese template (zh/LAYER.properties) with the values, rendering a nested message in
 * Chinese too, a stage as a Chinese word and a route quoted as `ip route` prints it. It never reads English: a message
 * without an id is text shown as written in every language (a daemon's log line, an input's own words). Every
 * technical token stays as it was: interface names, addresses, sysctls, route and rule text, commands. Also the
 * short Chinese names of causes, fixes and stages.
 */
public final class Zh {
    private Zh() {}

    private static final Map<String, String> STAGES = Map.ofEntries(
            Map.entry("link", "链路"), Map.entry("routing", "路由"), Map.entry("rp_filter", "反向路径过滤"),
            Map.entry("forwarding", "转发"), Map.entry("ttl", "TTL"), Map.entry("socket", "套接字"),
            Map.entry("netfilter", "防火墙"), Map.entry("nat", "NAT"), Map.entry("delivery", "投递"), Map.entry("arp", "ARP"), Map.entry("ndp", "邻居发现"),
            Map.entry("loop", "环路"), Map.entry("wireguard", "WireGuard"), Map.entry("openvpn", "OpenVPN"), Map.entry("tun", "tun"));

    private static final Map<String, String> CAUSES = Map.ofEntries(
            Map.entry("missing-return-route", "缺少回程路由"),
            Map.entry("asymmetric-reply", "应答路径不对称"),
            Map.entry("rp-filter-drop", "被 rp_filter 反向路径过滤丢弃"),
            Map.entry("dnat-reply-via-default-route", "DNAT 后的应答走了默认路由"),
            Map.entry("local-service-wrong-table", "本机服务的应答查错了路由表"),
            Map.entry("policy-rule-captures-local-traffic", "策略路由规则抢走了去往本机网络的流量"),
            Map.entry("missing-snat", "缺少 SNAT 源地址转换"),
            Map.entry("forward-drop", "FORWARD 链不放行"),
            Map.entry("ip-forward-off", "没有开启 IP 转发"),
            Map.entry("ra-ignored-while-forwarding", "开启转发后不再接受路由通告，IPv6 默认路由过期"),
            Map.entry("neighbour-discovery-filtered", "防火墙挡住了 IPv6 邻居发现"),
            Map.entry("ndp-proxy-missing", "缺少 IPv6 邻居代理（NDP proxy）"),
            Map.entry("conntrack-invalid", "连接跟踪判为 INVALID 后丢弃"),
            Map.entry("conntrack-invalid-asymmetric", "路径不对称，连接跟踪判为 INVALID 后丢弃"),
            Map.entry("wrong-source-address", "源地址选错"),
            Map.entry("filter-rule-drop", "被防火墙规则丢弃"),
            Map.entry("no-route", "没有路由"),
            Map.entry("nothing-listens", "端口上没有服务监听"),
            Map.entry("wireguard-source-not-allowed", "源地址不在 WireGuard 对端的 AllowedIPs 里"),
            Map.entry("wireguard-allowed-ips-not-routed", "WireGuard AllowedIPs 缺少对应路由"),
            Map.entry("wireguard-no-peer", "WireGuard 没有匹配的对端"),
            Map.entry("wireguard-allowed-ips-lack-prefix", "WireGuard 对端的 AllowedIPs 缺少其后面的网段"),
            Map.entry("accept-rule-after-reject", "放行规则排在拒绝规则之后"),
            Map.entry("route-into-tunnel-for-local-network", "全隧道路由把本地网段也带进了隧道"),
            Map.entry("openvpn-missing-iroute", "OpenVPN 缺少 iroute"),
            Map.entry("tunnel-routed-into-itself", "隧道流量被路由进隧道自身"),
            Map.entry("tunnel-drop", "被隧道丢弃"),
            Map.entry("other-loss", "其他原因丢失"),
            Map.entry("route-swallows-destination", "更宽的路由吞掉了目的地址"),
            Map.entry("neighbour-unreachable-on-link", "直连网段上的邻居不可达"),
            Map.entry("gateway-not-on-link", "网关不在链路上"),
            Map.entry("snat-to-foreign-address", "SNAT 成了本机不拥有的地址"),
            Map.entry("missing-route-to-overlay", "缺少进入覆盖网络的路由"),
            Map.entry("unmanaged-host-drops", "包死在不归你管的主机上"),
            Map.entry("setting-not-collected", "内核参数没有采集"),
            Map.entry("uncertain-syntax", "有无法识别的配置"));

    private static final Map<String, String> FIXES = Map.ofEntries(
            Map.entry("return-route", "加回程路由"),
            Map.entry("return-route-on-answering-host", "在应答主机上加回程路由"),
            Map.entry("masquerade-at-entry", "在入口做 MASQUERADE"),
            Map.entry("route-via-neighbour", "经已知路径的邻居路由"),
            Map.entry("rule-to-main-table", "加一条 ip rule：该网段查 main 表"),
            Map.entry("delete-capturing-rule", "删除抢走流量的策略路由规则"),
            Map.entry("per-source-table", "策略路由：按源地址选表"),
            Map.entry("per-destination-table", "策略路由：按目的地址选表"),
            Map.entry("ip-rule-from-local-address", "为本机地址加 ip rule"),
            Map.entry("restore-mark-in-output", "在 mangle OUTPUT 恢复连接标记"),
            Map.entry("connmark-policy-routing", "CONNMARK 打标记加策略路由"),
            Map.entry("snat-at-dnat-host", "在做 DNAT 的主机上做 SNAT"),
            Map.entry("route-src-hint", "给路由加 src 源地址提示"),
            Map.entry("masquerade-uplink", "在上行接口做 MASQUERADE"),
            Map.entry("forward-policy-accept", "FORWARD 默认策略改为 ACCEPT"),
            Map.entry("forward-accept-rules", "在 FORWARD 链加放行规则"),
            Map.entry("accept-tunnel-port-before-rule", "在该规则前按端口放行隧道数据报"),
            Map.entry("accept-before-rule", "在该规则前加放行规则"),
            Map.entry("accept-interfaces-before-rule", "在该规则前按接口放行新连接"),
            Map.entry("output-accept-to-network", "在 OUTPUT 中放行发往该网段的流量"),
            Map.entry("delete-rule", "删除该规则"),
            Map.entry("ip-forward-on", "开启 IP 转发"),
            Map.entry("ipv6-forwarding-on", "开启 IPv6 转发"),
            Map.entry("accept-ra-2", "转发时也接受路由通告（accept_ra = 2）"),
            Map.entry("accept-neighbour-discovery", "放行 IPv6 邻居发现"),
            Map.entry("ndp-proxy", "添加 IPv6 邻居代理"),
            Map.entry("rp-filter-loose", "rp_filter 改为宽松模式"),
            Map.entry("wireguard-allowed-ips", "扩充 WireGuard 对端的 AllowedIPs"),
            Map.entry("masquerade-into-tunnel", "进隧道前做 MASQUERADE"),
            Map.entry("route-allowed-ips", "为 AllowedIPs 加路由"),
            Map.entry("openvpn-ccd-iroute", "在 CCD 文件里加 iroute"),
            Map.entry("host-route-to-tunnel-server", "加一条经原网关到隧道服务器的主机路由"),
            Map.entry("fw4-masq-allow-invalid", "fw4 区域开启 masq_allow_invalid"),
            Map.entry("forward-accept-replies", "在 FORWARD 链放行应答方向（RELATED,ESTABLISHED）"),
            Map.entry("interface-forwarding-on", "打开该接口自己的转发开关"),
            Map.entry("delete-foreign-snat", "删除 SNAT 到外来地址的规则"),
            Map.entry("masquerade-before-foreign-snat", "在旧 SNAT 规则前做 MASQUERADE"),
            Map.entry("host-route-via-gateway", "经网关加一条主机路由"),
            Map.entry("route-via-existing-router", "改经链路上存在的路由器"),
            Map.entry("delete-reject-route", "删除 blackhole/unreachable/prohibit 路由"),
            Map.entry("move-accept-before-rule", "把后面的放行规则移到丢包规则之前"),
            Map.entry("move-accepts-before-rule", "把后面的几条放行规则一起移到丢包规则之前"),
            Map.entry("accept-rule-as-meant", "按本意改写那条差一个字段的放行规则"),
            Map.entry("ufw-route-allow", "ufw route allow 放行这一方向的转发"),
            Map.entry("ufw-default-allow-routed", "ufw 转发默认策略改为允许"),
            Map.entry("firewalld-masquerade", "firewalld 区域开启 masquerade"),
            Map.entry("openwrt-zone-add-network", "把接口加入 OpenWrt 防火墙区域"),
            Map.entry("openwrt-zone-add-device", "把设备加入 OpenWrt 防火墙区域"),
            Map.entry("wireguard-full-tunnel", "改成 WireGuard 全隧道（wg-quick 的策略路由）"));

    /**
     * The layers whose sentences have Chinese: each files its own in zh/LAYER.properties next to this class, keyed by
     * {@link Message.Id#key()} (the layer, a dot, the constant).
     */
    static final List<String> LAYERS = List.of("model", "kernel", "netfilter", "iptables", "nft", "sim", "tunnel", "diagnose", "fix",
            "importer", "openwrt", "lab", "report");

    /** Chinese for each sentence id. */
    private static final Map<String, String> CATALOGUE = catalogue();

    private static Map<String, String> catalogue() {
        Map<String, String> out = new java.util.HashMap<>();
        for (String layer : LAYERS) {
            java.util.Properties p = new java.util.Properties();
            try (var in = Zh.class.getResourceAsStream("zh/" + layer + ".properties")) {
                if (in == null) continue;
                p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (String k : p.stringPropertyNames()) out.put(k, p.getProperty(k));
        }
        return Map.copyOf(out);
    }

    /** The Chinese template filed for a sentence id, or null when it has none. */
    static String template(Message.Id id) { return CATALOGUE.get(id.key()); }

    /** Every sentence id the catalogue files (a test checks each belongs to a sentence, with the same values). */
    static java.util.Set<String> keys() { return CATALOGUE.keySet(); }

    /**
     * A message in Chinese: its id's Chinese filled with its values (a nested message in Chinese too, a stage as a
     * Chinese word, a route quoted); a message without an id is text shown as written.
     */
    public static String text(Message m) {
        return m == null ? null : tidy(untidy(m));
    }

    private static String untidy(Message m) {
        if (m.id() == null) return m.text();
        String zh = template(m.id());
        return zh == null ? m.english() : m.fill(zh, Zh::value);
    }

    private static String value(Object v) {
        if (v instanceof Message m) return untidy(m);
        if (v instanceof Message.Term t) return stage(t.word());
        if (v instanceof Message.RouteText r) return route(r, true);
        return String.valueOf(v);
    }

    /** A problem as its English line has it ("where: message: quoted text"), with the message in Chinese. */
    public static String problem(roundtrip.model.Problem p) {
        return p.source().where() + "：" + text(p.message()) + (p.source().text().isEmpty() ? "" : "：" + p.source().text());
    }

    /** A stage of the packet path (routing, netfilter, ...) as a Chinese admin says it. */
    public static String stage(String stage) {
        return stage == null ? null : STAGES.getOrDefault(stage, stage);
    }

    /**
     * A route as `ip route` prints it, with the rule that selected its table in Chinese; {@code quoted} puts the
     * route text in backticks for a sentence (a table column does without).
     */
    public static String route(Message.RouteText route, boolean quoted) {
        if (route == null) return null;
        String text = route.route(), rule = route.viaRule();
        if (text == null) return "无路由";
        String r = quoted ? "`" + text + "`" : text;
        return rule == null ? r : r + "（经策略路由规则 " + (quoted ? "`" + rule + "`" : rule) + "）";
    }

    /** A short Chinese name for a cause id, or null. */
    public static String cause(String id) { return CAUSES.get(id); }

    /** A short Chinese name for a fix id, or null. */
    public static String fix(String id) { return FIXES.get(id); }

    private static final Pattern CJK = Pattern.compile("[\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef]");
    private static final Pattern SPACE_BETWEEN_CJK =
            Pattern.compile("(?<=[\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef]) +(?=[\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef])");
    private static final Pattern SPACE_AT_FULLWIDTH_PUNCTUATION = Pattern.compile(" +(?=[（），；：。、])|(?<=[（），；：。、]) +");

    /** Spaces separate Chinese from Latin text, never two Chinese characters or Chinese punctuation from anything. */
    private static String tidy(String s) {
        if (!CJK.matcher(s).find()) return s;
        return SPACE_AT_FULLWIDTH_PUNCTUATION.matcher(SPACE_BETWEEN_CJK.matcher(s).replaceAll("")).replaceAll("");
    }
}
