package roundtrip.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import roundtrip.model.Message;

/**
 * Chinese for the English sentences the kernel model, the simulator, the diagnosis and the fixes produce (drop
 * reasons, finding summaries, persistence hints, verification errors). The layers below stay English-only; this
 * table reads their sentences and rewrites them, keeping every technical token as it was: interface names,
 * addresses, sysctls, route and rule text, commands, and the messages daemons log (quoted verbatim, because that
 * is what an admin greps for).
 *
 * <p>Each entry is an English template and its Chinese. In the English, {@code {name}} stands for one token,
 * {@code {name...}} for any text, {@code {name:REGEX}} for what the regex matches; a name used twice must match
 * the same text. In the Chinese, {@code {name}} puts the text back as it was, {@code {name*}} translates it with
 * this table (a nested reason), {@code {name@}} quotes it as a route ({@link #route}), {@code {name$}} names a
 * stage ({@link #stage}). The first entry that matches a whole sentence wins; a sentence no entry matches stays
 * English, as written.
 */
public final class Zh {
    private Zh() {}

    private record Entry(Pattern english, String chinese) {}

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)(\\.\\.\\.|:((?:[^{}]|\\{[^{}]*})*))?}");
    private static final Pattern TARGET = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)([*@$]?)}");

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
            Map.entry("accept-before-rule", "在该规则前加放行规则"),
            Map.entry("accept-interfaces-before-rule", "在该规则前按接口放行新连接"),
            Map.entry("output-accept-to-network", "在 OUTPUT 中放行发往该网段的流量"),
            Map.entry("delete-rule", "删除该规则"),
            Map.entry("ip-forward-on", "开启 IP 转发"),
            Map.entry("ipv6-forwarding-on", "开启 IPv6 转发"),
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

    private static final List<Entry> TABLE = new ArrayList<>();

    private static void on(String english, String chinese) {
        StringBuilder re = new StringBuilder();
        Set<String> names = new HashSet<>();
        Matcher m = PLACEHOLDER.matcher(english);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(english.substring(last, m.start())));
            String name = m.group(1);
            String regex = m.group(3) != null ? m.group(3) : "...".equals(m.group(2)) ? ".+?" : "\\S+";
            if (names.add(name)) re.append("(?<").append(name).append('>').append(regex).append(')');
            else re.append("\\k<").append(name).append('>');
            last = m.end();
        }
        re.append(Pattern.quote(english.substring(last)));
        Matcher t = TARGET.matcher(chinese);
        while (t.find())
            if (!names.contains(t.group(1))) throw new IllegalStateException("{" + t.group(1) + "} is not in \"" + english + "\"");
        TABLE.add(new Entry(Pattern.compile(re.toString()), chinese));
    }

    static {
        // ---------------------------------------------------------------- what wraps another sentence, first: an open-ended
        // placeholder at the end of a later entry ("dropped by {how...}") would swallow the wrapper's words
        // trace steps and answers (trace --lang zh): the packet itself stays as tcpdump prints it
        on("delivered to a local socket: {packet...}", "交给本机套接字：{packet}");
        on("answers with {what...}", "应答：{what*}");
        on("SYN-ACK from the listening socket", "监听套接字回的 SYN-ACK");
        on("echo reply", "回显应答（echo reply）");
        on("the service's answer", "服务的应答");
        on("the service's datagram", "服务回的数据报");
        on("RST: no connection for this segment", "RST：这个报文段没有对应的连接");
        on("forward: {route...}", "转发：{route}");
        on("local delivery: {route...}", "本机投递：{route}");
        on("{what...} (connection refused)", "{what*}（连接被拒绝）");
        on("{reason...} (bridged traffic, {key:bridge-nf-call-ip6?tables} = 1)", "{reason*}（桥接流量，{key} = 1）");
        on("{log...}: the tunnel's own packets are routed into the tunnel", "\"{log}\"：隧道自己的包被路由进了隧道本身");

        // ---------------------------------------------------------------- kernel: links, addresses, forwarding
        on("{dev} is down", "{dev} 接口处于 down 状态");
        on("martian source {ip}: it is an address of this host", "源地址 {ip} 是本机自己的地址，按非法源地址（martian source）丢弃");
        on("martian source {ip}: the route back is {route...}", "源地址 {ip} 非法（martian source）：回程路由是 {route@}");
        on("martian source {ip}", "源地址 {ip} 非法（martian source）");
        on("martian destination {ip} ({route...})", "目的地址 {ip} 非法（martian destination，{route@}）");
        on("martian destination {ip}", "目的地址 {ip} 非法（martian destination）");
        on("martian: loopback address {ip} on {dev}", "{dev} 上出现环回地址 {ip}，按非法地址（martian）丢弃");
        on("not addressed to this host and forwarding is off on {dev} ({setting...})", "目的地址不是本机，而 {dev} 上没有开启转发（{setting}）");
        on("not addressed to this host and IPv6 forwarding is off ({setting...})", "目的地址不是本机，而 IPv6 转发没有开启（{setting}）");
        on("the source {ip} is link-local: IPv6 never forwards it off its link", "源地址 {ip} 是链路本地地址：IPv6 从不把它转发出所在链路");
        on("hop limit exceeded in transit (a routing loop, or too many hops)", "传输途中 hop limit 耗尽（路由环路，或跳数太多）");
        on("TTL exceeded in transit (a routing loop, or too many hops)", "转发途中 TTL 耗尽（有路由环路，或跳数太多）");
        on("cannot send from {ip}: no interface of {host} has it", "无法以 {ip} 为源地址发送：{host} 的接口上都没有这个地址");

        // ---------------------------------------------------------------- kernel: routing
        on("no source address for {route...}", "按 {route@} 选不出源地址");
        on("no usable route to {ip}: {what...}; the sender gets {err...}", "没有去往 {ip} 的可用路由（{what@}）；发送程序收到 {err*}");
        on("EACCES (permission denied)", "EACCES（\"Permission denied\"，权限不足）");
        on("ENETUNREACH (network is unreachable)", "ENETUNREACH（\"Network is unreachable\"，网络不可达）");
        on("EHOSTUNREACH (no route to host)", "EHOSTUNREACH（\"No route to host\"，主机不可达）");
        on("blackhole route: {what...}", "命中黑洞路由：{what@}");
        on("no route to {ip} in any table the rules select", "策略路由选中的路由表里都没有去往 {ip} 的路由");
        on("{type} route: {what...}", "命中 {type} 路由：{what@}");
        on("rp_filter: no route back to {ip}", "rp_filter：没有回到 {ip} 的路由");
        on("rp_filter: {dev} has no address", "rp_filter：{dev} 上没有地址");
        on("rp_filter (strict): the route back to {ip} leaves by {out}, not {dev} ({route...})",
                "rp_filter（严格模式）：回到 {ip} 的路由从 {out} 出去，而不是包进来的 {dev}（{route@}）");

        // ---------------------------------------------------------------- kernel: netfilter and NAT
        on("{chain...}: queued to user space, outcome unknown", "{chain}：包被交给用户态程序（NFQUEUE），结果未知");
        on("packet handed to user space (NFQUEUE): outcome unknown", "包被交给用户态程序（NFQUEUE）：结果未知");
        // nft rules read but not (fully) evaluated: what the rule depends on stays as written
        on("not understood ({what...}); the rule is not evaluated, results that reach it are uncertain",
                "无法识别（{what}）；这条规则没有参与模拟，经过它的结论不确定");
        on("include not followed: the rules of {file} are not in the input (collect or paste them too); every verdict through this"
                        + " host is uncertain",
                "没有跟随 include：{file} 里的规则不在输入中（请一并采集或粘贴）；经过这台主机的所有结论都不确定");
        on("{reason...}; taken as matching", "{reason*}；按匹配处理");
        on("{reason...}; the first element of the map is taken", "{reason*}；取映射的第一个元素");
        on("meta {key}: depends on when the packet is sent", "meta {key}：取决于包发出的时间");
        on("meta {key} is not known for a simulated packet", "模拟的包没有 meta {key} 的值");
        on("ct {key} is not known for a simulated connection", "模拟的连接没有 ct {key} 的值");
        on("ct status {status} is not modelled; evaluated as not set", "没有模拟 `ct status {status}`；按未设置处理");
        on("set @{name} is filled by rules as packets pass: evaluated with the elements the ruleset lists, not those earlier traffic"
                        + " (or this probe) may have added",
                "集合 @{name} 由规则在包经过时填充：按规则集列出的元素计算，不含之前的流量（或这次探测本身）可能加进去的元素");
        on("family {family} is not simulated (only ip, ip6 and inet tables are): its {n} {rules:(?:rules were|rule was)} not evaluated",
                "没有模拟 {family} 协议族（只模拟 ip、ip6 和 inet 表）：其中 {n} 条规则没有参与模拟");
        on("hook {hook} is not simulated: this chain's rules were not evaluated", "没有模拟 {hook} 钩子：这条链的规则没有参与模拟");
        // iptables extensions the simulation answers with an assumption, or not at all
        on("{rule...}: depends on {what...}; taken to hold, as for the first packet of a quiet flow",
                "{rule}：取决于{what*}；按一条安静的流的第一个包计算，视为匹配");
        on("{rule...}: depends on {what...}; taken not to hold, as for the first packet of a quiet flow",
                "{rule}：取决于{what*}；按一条安静的流的第一个包计算，视为不匹配");
        on("the rate of the traffic before this one", "此前流量的速率");
        on("the number of connections already open", "已经打开的连接数");
        on("the packets seen before this one", "此前见过的包");
        on("the bytes counted before this one", "此前计过的字节数");
        on("{rule...}: depends on the traffic the connection carried before; evaluated as for its first packet",
                "{rule}：取决于这条连接此前承载的流量；按它的第一个包计算");
        on("{rule...}: {why...}; the rule is taken not to match", "{rule}：{why*}；这条规则按不匹配处理");
        on("the packet's bytes (payload and headers) are not simulated", "没有模拟包的字节内容（载荷和包头）");
        on("whether a local socket would take this packet is not simulated", "没有模拟本机是否有套接字接收这个包");
        on("whether a transparent socket takes the packet (else the kernel drops it) is not simulated",
                "没有模拟是否有透明代理套接字接收这个包（没有的话内核会丢弃它）");
        on("-m physdev: the topology names the bridge, not the port the frame uses; name the bridge's ports in topology.json",
                "-m physdev：拓扑只写了网桥，没有写帧经过的端口；请在 topology.json 中写出网桥的端口");
        on("{rule...}: the user and group of the program that sends the packet are not known", "{rule}：不知道发出这个包的程序属于哪个用户和组");
        on("{rule...}: the simulation does not model {proto} headers", "{rule}：模拟中没有 {proto} 协议头");
        on("-m conntrack --ctexpire {v}: the time left before the connection's entry expires is not simulated",
                "-m conntrack --ctexpire {v}：没有模拟连接跟踪条目剩下的存活时间");
        on("-m set --match-set {name}: the members of set {name} are not known (ipset.txt was not collected)",
                "-m set --match-set {name}：不知道集合 {name} 的成员（没有采集 ipset.txt）");
        on("-m set --match-set {name}: set {set} is not in {file}", "-m set --match-set {name}：集合 {set} 不在 {file} 中");
        on("-m set --match-set {name} compares the element's packet or byte counters, which depend on earlier traffic; taken as for"
                        + " the first packet of a quiet flow",
                "-m set --match-set {name} 比较元素的包数或字节数计数器，它们取决于此前的流量；按一条安静的流的第一个包计算");
        on("rejected ({with}) by {how...}", "被 {how*} 拒绝（{with}）");
        on("dropped by {how...}", "被 {how*} 丢弃");
        on("the {policy} policy of {chain...}", "{chain} 的默认策略 {policy}");
        on("a rule in {chain...} (chain {sub})", "{chain}（链 {sub}）中的一条规则");
        on("a rule in {chain...}", "{chain} 中的一条规则");
        on("MASQUERADE: {dev} has no address to use", "MASQUERADE：{dev} 上没有可用的地址");
        on("REDIRECT: {dev} has no address", "REDIRECT：{dev} 上没有地址");

        // ---------------------------------------------------------------- simulator: sockets and delivery
        on("the request was delivered to {host}, not to {target}", "请求被投递到 {host}，而不是 {target}");
        on("no answer was sent: the request was lost on {host} ({reason...})", "没有发出应答：请求在 {host} 上丢失（{reason*}）");
        on("the request passed {target} but was delivered to {host}", "请求经过了 {target}，最终却投递到 {host}");
        on("the data segment reached {host}, not {server} where the connection was accepted", "数据段到达了 {host}，而不是接受连接的 {server}");
        on("nothing listens on udp port {port} (ICMP port unreachable sent)", "UDP 端口 {port} 上没有程序监听（已回送 ICMP 端口不可达）");
        on("echo requests are ignored ({key:net\\.ipv[46]\\.icmp(_|\\.)echo_ignore_all})", "本机不回应 ping（{key}）");
        on("no answer", "没有应答");
        on("the answer was delivered to {host} instead of {client}", "应答被投递到 {host}，而不是 {client}");
        on("the prober received {packet...} instead of an answer", "探测方收到的是 `{packet}`，而不是应答");
        on("the answer comes from {from} but the prober talks to {expected}; {why...}", "应答来自 {from}，而探测方连接的是 {expected}；{why*}");
        on("its kernel answers the SYN-ACK with a RST", "探测方的内核对这个 SYN-ACK 回以 RST");
        on("a connected UDP socket does not accept it", "已 connect 的 UDP 套接字不接收它");
        on("ping does not count it as a reply", "ping 不把它当作应答");
        on("the answer is addressed to {to}, not to the prober's {own}", "应答发往 {to}，而不是探测方的 {own}");
        on("RST: nothing listens on tcp port {port}", "RST：TCP 端口 {port} 上没有程序监听");
        on("RST: no connection for this segment", "RST：这个数据段没有对应的连接");
        on("the tunnel packet carrying it ({packet...}) was lost: {reason...}", "承载它的隧道包（`{packet}`）丢失：{reason*}");
        on("routing loop: {hosts...}; the TTL ran out on {host}", "路由环路：{hosts}；TTL 在 {host} 上耗尽");
        on("more than {n} hops", "超过 {n} 跳");

        // ---------------------------------------------------------------- simulator: layer 2
        on("{dev} is a point-to-point device ({kind}) with no tunnel configuration in the snapshot and no segment in topology.json:"
                        + " roundtrip cannot tell where the program that owns it sends its packets (add a segment joining both ends of the tunnel)",
                "{dev} 是点对点设备（{kind}），快照里没有它的隧道配置，topology.json 里也没有它所在的网段：roundtrip 无法判断"
                        + "拥有它的程序把包发往哪里（请在 topology.json 里加一个连接隧道两端的网段）");
        on("{dev} is not attached to any segment in topology.json", "{dev} 不属于 topology.json 里的任何网段");
        on("no answer to ARP for {ip} on {dev} (no host on that segment has this address)",
                "在 {dev} 上对 {ip} 的 ARP 请求没有应答（该网段上没有主机拥有这个地址）");
        on("no answer to neighbour solicitation for {ip} on {dev} (no host on that segment answers for this address)",
                "在 {dev} 上对 {ip} 的邻居请求（NS）没有应答（该网段上没有主机应答这个地址）");
        on("neighbour discovery for {ip} on {dev} failed: {host} {what:dropped|rejected} the neighbour solicitation by {how...}",
                "{dev} 上对 {ip} 的邻居发现失败：{host} 的 {how*} 丢弃了邻居请求（NS）");
        on("{host}'s {chain...} drops the neighbour solicitation for {ip} (on {other}'s {dev}), so {other2} never learns where to send it",
                "{host} 的 {chain} 丢弃了为 {ip} 发出的邻居请求（NS）（{other} 的 {dev}），所以 {other2} 永远不知道该把包发往哪里");
        on("neighbour discovery for {ip} on {dev} failed: {host} {what:dropped|rejected} the neighbour advertisement by {how...}",
                "{dev} 上对 {ip} 的邻居发现失败：{host} 的 {how*} 丢弃了邻居通告（NA）");
        on("{host}'s {chain...} drops the neighbour advertisement for {ip} (on {other}'s {dev}), so {other2} never learns where to send it",
                "{host} 的 {chain} 丢弃了为 {ip} 发出的邻居通告（NA）（{other} 的 {dev}），所以 {other2} 永远不知道该把包发往哪里");

        on("{asker} looks for {ip} on {dev} ({route...}), but it lives behind {host} ({via...}), which does not answer neighbour"
                        + " solicitations for it on {dev2}",
                "{asker} 在 {dev} 上寻找 {ip}（{route}），但它在 {host} 后面（{via}），而 {host} 没有在 {dev2} 上替它应答邻居请求");
        // ---------------------------------------------------------------- IPv6 inputs: what a configuration leaves to run time
        on("redirect-gateway ipv6: {host} {dev} has no IPv6 address (no ifconfig-ipv6 pushed), so OpenVPN adds no IPv6 redirect routes",
                "redirect-gateway ipv6：{host} 的 {dev} 没有 IPv6 地址（服务端没有推送 ifconfig-ipv6），所以 OpenVPN 不会添加 IPv6 重定向路由");
        on("{host} {dev} has no IPv6 address: OpenVPN installs no route-ipv6 routes without ifconfig-ipv6",
                "{host} 的 {dev} 没有 IPv6 地址：没有 ifconfig-ipv6 时 OpenVPN 不会安装 route-ipv6 路由");

        // ---------------------------------------------------------------- tunnels: the daemons' messages stay verbatim
        on("{log:Recursive routing detected, drop tun packet to \\S+}", "\"{log}\"：OpenVPN 发现隧道自己的包被路由回了隧道");
        on("{log:\\S+: No peer has allowed IPs matching \\S+}", "\"{log}\"：没有哪个对端（peer）的 AllowedIPs 包含这个目的地址");
        on("{log:\\S+: No valid endpoint has been configured or discovered for peer \\S+} (no Endpoint, and no packet from it arrived"
                        + " before: it sends no PersistentKeepalive, or its keepalive did not get through)",
                "\"{log}\"：这个对端没有配置 Endpoint，之前也没有收到过它的包：它没有设置 PersistentKeepalive，或者它的 keepalive 没能到达");
        on("{host} {dev} sends its {what} to {ep}; {peer} learned the endpoint {learned} from it (before the probe)",
                "{host} 的 {dev} 向 {ep} 发送 {what}；{peer} 由此得知对端位于 {learned}（在探测之前）");
        on("{host} {dev} sends its {what} to {ep}, but it is lost on {at}: {reason...}",
                "{host} 的 {dev} 向 {ep} 发送 {what}，但它在 {at} 上丢失：{reason*}");
        on("{host} {dev} sends its {what} to {ep}; it arrives at {at}, where no {kind} socket listens on port {port}",
                "{host} 的 {dev} 向 {ep} 发送 {what}；它到达 {at}，但那里没有 {kind} 套接字监听端口 {port}");
        on("ping from client {client}", "来自客户端 {client} 的 ping");
        on("{log:\\S+: No valid endpoint has been configured or discovered for peer \\S+}",
                "\"{log}\"：这个对端既没有配置 Endpoint，也还没有从它那里收到过包");
        on("{log:\\S+: Invalid handshake initiation from \\S+} (its public key is not a [Peer] of {dev})",
                "\"{log}\"（对方的公钥不是 {dev} 的 [Peer]）");
        on("{log:\\S+: Packet has unallowed src IP \\(\\S+\\) from peer \\S+ \\(\\S+\\)}", "\"{log}\"：源地址不在这个对端的 AllowedIPs 里");
        on("{log:.*MULTI: bad source address from client \\[[^\\]]*\\], packet dropped} (the source is not {cn}'s virtual address {va}"
                        + " nor in its iroutes []{rest:.*})",
                "\"{log}\"（源地址不是 {cn} 的虚拟地址 {va*}，而 {cn} 没有任何 iroute{rest*}）");
        on("{log:.*MULTI: bad source address from client \\[[^\\]]*\\], packet dropped} (the source is not {cn}'s virtual address {va}"
                        + " nor in its iroutes {iroutes:\\[[^\\]]*\\]}{rest:.*})",
                "\"{log}\"（源地址既不是 {cn} 的虚拟地址 {va*}，也不在它的 iroute {iroutes} 里{rest*}）");
        on("(unknown)", "（未知）");
        on("; it belongs to {cn:[^;\\s]+}{rest:.*}", "；这个地址属于 {cn}{rest*}");
        on("; OpenVPN logs this at verb {n} and above{rest:.*}", "；OpenVPN 在 verb {n} 及以上才记录这条日志{rest*}");
        on(", and this server runs at verb {n}, so its log is silent", "，而这台服务端的 verb 是 {n}，日志里看不到");
        on("no client has the virtual address or an iroute for {ip}: the server drops the packet (multi.c logs only {log:\".*\"},"
                        + " at verb {verb}){clients:.*}",
                "没有哪个客户端的虚拟地址或 iroute 包含 {ip}：服务端丢弃这个包（multi.c 只在 verb {verb} 时记录 {log}）{clients*}");
        on("; the server knows no clients", "；服务端没有任何客户端");
        on("; its clients: {list...}", "；现有客户端：{list}");
        on("client {cn} has {ip}, but where it connects from is unknown (not in status.log, no client host in the snapshot)",
                "客户端 {cn} 拥有 {ip}，但不知道它从哪里连接（status.log 里没有，快照里也没有这台客户端主机）");
        on("a packet from {from} belongs to no client session of the server (no status.log entry or client configuration pairs with it)",
                "来自 {from} 的包不属于服务端的任何客户端会话（status.log 里没有对应条目，也没有客户端配置能与之配对）");
        on("no remote with an IPv4 address and no peer has connected yet: the tunnel has no peer to send to",
                "没有带 IPv4 地址的 remote，也还没有对端连上来：隧道无处可发");
        on("TAP: the ARP request for {ip} (client {cn}) is never answered: without client-to-client the server writes the broadcast"
                        + " to its own tap device, and its kernel answers ARP only for its own addresses",
                "TAP：对 {ip}（客户端 {cn}）的 ARP 请求永远得不到应答：没有 client-to-client 时，服务端把广播写进自己的 tap 设备，"
                        + "而它的内核只为本机地址应答 ARP");
        on("{log:TCP/UDP: Incoming packet rejected from .*}", "\"{log}\"：OpenVPN 拒收了来自非预期地址或端口的包");

        // ---------------------------------------------------------------- diagnosis: what the finding says
        on("{n} piece(s) of configuration not understood, first: {message...}", "有 {n} 处配置无法识别，第一处：{message*}");
        on("{host} answers from the main table ({route...}) although table {table} routes {ip} back out of {dev};"
                        + " its own answers never get the connection mark",
                "{host} 的应答查的是 main 表（{route@}），而路由表 {table} 会把 {ip} 从 {dev} 送回去；本机自己发出的应答永远拿不到连接标记");
        on("the request came in on {in} from {from}; rule `{rule:[^`]+}` sends the answer to {ip} to table {table} ahead of the main"
                        + " table, so it leaves by {out} ({route...}), while the main table's `{main:[^`]+}` would take it back out of {in}",
                "请求从 {in} 进来（来自 {from}）；规则 `{rule}` 先于 main 表把发往 {ip} 的应答送进路由表 {table}，于是应答从 {out} 出去"
                        + "（{route@}），而 main 表的 `{main}` 本会把它从 {in} 送回去");
        on("rule `{rule:[^`]+}` sends {host}'s own packet from {src} to {dst} to table {table} ({route...}, out of {out}) ahead of the"
                        + " main table, whose `{main:[^`]+}` delivers it on {dev}",
                "规则 `{rule}` 先于 main 表把 {host} 自己发出的包（{src} → {dst}）送进路由表 {table}（{route@}，从 {out} 出去），"
                        + "而 main 表的 `{main}` 本会把它投递到 {dev} 上");
        on("rule `{rule:[^`]+}` sends the packet {host} forwards from {src} to {dst} to table {table} ({route...}, out of {out}) ahead of"
                        + " the main table, whose `{main:[^`]+}` delivers it on {dev}",
                "规则 `{rule}` 先于 main 表把 {host} 转发的包（{src} → {dst}）送进路由表 {table}（{route@}，从 {out} 出去），"
                        + "而 main 表的 `{main}` 本会把它投递到 {dev} 上");
        on("the request came in on {in} from {from}, the answer leaves by {out} ({route...})",
                "请求从 {in} 进来（来自 {from}），应答却从 {out} 出去（{route@}）");
        on("the request was destination-NATed {where...} and came in on {in} from {from}; the answer to {ip} leaves by {out}"
                        + " ({route...}) and never passes {nat} again",
                "请求{where*}做了目的地址转换（DNAT），从 {in} 进来（来自 {from}）；发往 {ip} 的应答却从 {out} 出去（{route@}），再也不经过 {nat}");
        on("the request was destination-NATed {where...} and came in on {in} from {from}; the answer to {ip} leaves by {out} ({route...})",
                "请求{where*}做了目的地址转换（DNAT），从 {in} 进来（来自 {from}）；发往 {ip} 的应答却从 {out} 出去（{route@}）");
        on("here", "在本机");
        on("on {host}", "在 {host} 上");
        on("{host} sends the answer to {ip} by {route...}, away from {from} where the request came from",
                "{host} 按 {route@} 送出去往 {ip} 的应答，而不是送回请求的来路 {from}");
        on("{host} routes {ip} by {route...}, away from {from} whose tunnel ({dev}) the request came out of",
                "{host} 按 {route@} 送出去往 {ip} 的应答，而不是送回 {from}：请求是经 {from} 的隧道（{dev}）过来的");
        on("{host} routes {ip} by {route...}, away from {from} (reachable on its {dev}) where the request came from",
                "{host} 按 {route@} 送出去往 {ip} 的应答，而不是送回请求的来路 {from}（{from} 就在 {host} 的 {dev} 那一侧）");
        on("{host} has no route to {ip}, away from {from} (reachable on its {dev}) where the request came from",
                "{host} 没有去往 {ip} 的路由，应答回不到请求的来路 {from}（{from} 就在 {host} 的 {dev} 那一侧）");
        on("{host} forwards {ip} out of {out} by its default route ({route...}) without source NAT; {next} has no way back to {ip}",
                "{host} 按默认路由（{route@}）把来自 {ip} 的流量从 {out} 转发出去，却没有做源地址转换（SNAT）；{next} 没有回到 {ip} 的路由");
        on("{host} sends from {ip} (the address of {dev}, chosen by {route...}); from {other} the same probe comes back",
                "{host} 以 {ip} 为源地址发出（{dev} 的地址，由 {route@} 选定）；改用 {other} 作源地址，同样的探测就能收到应答");
        on("{host} {dev} drops packets from {ip}: peer {key} has AllowedIPs {allowed:\\[[^\\]]*\\]}, which do not hold it"
                        + " ({sender} forwards {net} into its {tunnel} unchanged)",
                "{host} 的 {dev} 丢弃来自 {ip} 的包：对端 {key} 的 AllowedIPs 是 {allowed}，不包含这个地址（{sender} 把 {net} 原样转发进了它的 {tunnel}）");
        on("{host} {dev} drops packets from {ip}: peer {key} has AllowedIPs {allowed:\\[[^\\]]*\\]}, which do not hold it",
                "{host} 的 {dev} 丢弃来自 {ip} 的包：对端 {key} 的 AllowedIPs 是 {allowed}，不包含这个地址");
        on("{host} routes {ip} into {dev} ({route...}), but no peer of {dev} has it in its AllowedIPs",
                "{host} 按 {route@} 把 {ip} 路由进了 {dev}，但 {dev} 没有哪个对端的 AllowedIPs 包含它");
        on("{host} routes {ip} into {dev}, but no peer of {dev} has it in its AllowedIPs",
                "{host} 把 {ip} 路由进了 {dev}，但 {dev} 没有哪个对端的 AllowedIPs 包含它");
        on("{host} {dev}: client {cn} sends from {ip}, but no iroute of {cn} holds it (no `iroute` for {net} in {file...}){rest:.*}",
                "{host} 的 {dev}：客户端 {cn} 以 {ip} 为源地址发包，但 {cn} 的 iroute 都不包含它（{file} 里没有 {net} 的 `iroute`）{rest*}");
        on("; the file {file} has it, but no client connects with that common name", "；文件 {file} 里倒是有，但没有客户端用这个 common name 连接");
        on("{host} {dev}: {ip} lies behind client {cn} ({client}), but no iroute of {cn} holds it, so the daemon has no client to send it to",
                "{host} 的 {dev}：{ip} 在客户端 {cn}（{client}）后面，但 {cn} 的 iroute 都不包含它，OpenVPN 进程找不到可以转交的客户端");
        on("{host} routes the tunnel's own packets to {ip} into the tunnel ({dev}) by {route...}",
                "{host} 按 {route@} 把隧道自己发往 {ip} 的包路由进了隧道本身（{dev}）");
        on("{host} routes the tunnel's own packets to {ip} into the tunnel ({dev})", "{host} 把隧道自己发往 {ip} 的包路由进了隧道本身（{dev}）");
        on("{host} routes the tunnel's own packets to {ip} into the tunnel by {route...}", "{host} 按 {route@} 把隧道自己发往 {ip} 的包路由进了隧道本身");
        on("{host} routes the tunnel's own packets to {ip} into the tunnel", "{host} 把隧道自己发往 {ip} 的包路由进了隧道本身");
        on("{host} sends {ip} out of {out} by {route...}, although {dev}'s peer {key} has {net} in its AllowedIPs: no route leads into {dev}",
                "{host} 按 {route@} 把去往 {ip} 的包从 {out} 发了出去，尽管 {dev} 的对端 {key} 的 AllowedIPs 里有 {net}：没有任何路由指向 {dev}");
        // issue 12: hosts the user cannot change, and the causes that now have fixes
        on("{head...}: {u} is not yours to change (managed: false); {tail...}", "{head*}：{u} 不归你管（managed: false）；{tail*}");
        on("the {target} rule of {host} says -o {dev}, but this packet (from {ip}) leaves by {out} ({route...}): it is forwarded without source NAT",
                "{host} 的 {target} 规则写的是 -o {dev}，但这个包（来自 {ip}）从 {out} 出去（{route@}）：它被转发出去却没有做源地址转换");
        on("the ACCEPT rule of {host} says {flag} {written}, but this packet comes from {ip}: it is not accepted ({stage}: {reason...})",
                "{host} 的 ACCEPT 规则写的是 {flag} {written}，但这个包来自 {ip}：它没有被放行（{stage$}环节：{reason*}）");
        on("the ACCEPT rule of {host} says {flag} {written}, but this packet goes to {ip}: it is not accepted ({stage}: {reason...})",
                "{host} 的 ACCEPT 规则写的是 {flag} {written}，但这个包发往 {ip}：它没有被放行（{stage$}环节：{reason*}）");
        on("the ACCEPT rule of {host} says {flag} {written}, but this packet is {proto}: it is not accepted ({stage}: {reason...})",
                "{host} 的 ACCEPT 规则写的是 {flag} {written}，但这个包是 {proto}：它没有被放行（{stage$}环节：{reason*}）");
        on("the ACCEPT rule of {host} says {flag} {written}, but this packet comes in by {dev}: it is not accepted ({stage}: {reason...})",
                "{host} 的 ACCEPT 规则写的是 {flag} {written}，但这个包从 {dev} 进来：它没有被放行（{stage$}环节：{reason*}）");
        on("the ACCEPT rule of {host} says {flag} {written}, but this packet leaves by {dev}: it is not accepted ({stage}: {reason...})",
                "{host} 的 ACCEPT 规则写的是 {flag} {written}，但这个包从 {dev} 出去：它没有被放行（{stage$}环节：{reason*}）");
        on("peer {key} of {host} {dev} is {site}, whose network {net} holds {ip}, but its AllowedIPs ({list...}) lack it: {host} sends it out of {out} ({route...})",
                "{host} 的 {dev} 上的对端 {key} 是 {site}，目的地址 {ip} 在它的网段 {net} 里，但该对端的 AllowedIPs（{list}）没有这个网段："
                        + "{host} 把包从 {out} 发了出去（{route@}）");
        on("peer {key} of {host} {dev} is {site}, whose network {net} holds {ip}, but its AllowedIPs ({list...}) lack it: {host} has no way into the tunnel for it",
                "{host} 的 {dev} 上的对端 {key} 是 {site}，目的地址 {ip} 在它的网段 {net} 里，但该对端的 AllowedIPs（{list}）没有这个网段："
                        + "{host} 没有进隧道的路");
        on("peer {key} of {host} {dev} is {site}, which routes {net} (holding {ip}) on, but its AllowedIPs ({list...}) lack it: {host} sends it out of {out} ({route...})",
                "{host} 的 {dev} 上的对端 {key} 是 {site}，它有去往 {net} 的路由（目的地址 {ip} 在其中），但该对端的 AllowedIPs（{list}）没有这个网段："
                        + "{host} 把包从 {out} 发了出去（{route@}）");
        on("peer {key} of {host} {dev} is {site}, which reaches {ip} by its default route and forwards, but its AllowedIPs ({list...}) send only those networks through the tunnel: {host} sends it out of {out} ({route...})",
                "{host} 的 {dev} 上的对端 {key} 是 {site}，它开启了转发并能经默认路由到达 {ip}，但该对端的 AllowedIPs（{list}）只让这些网段走隧道："
                        + "{host} 把包从 {out} 发了出去（{route@}）");
        on("the accept `{accept...}` ({where}) comes after `{drop...}` ({at}) in {chain}: the packet is stopped before it gets there",
                "放行规则 `{accept}`（{where}）排在 {chain} 链的 `{drop}`（{at}）之后：包在到达它之前就被拦下了");
        on("{u} cannot route it ({reason...})", "{u} 无法路由它（{reason*}）");
        on("{u} does not forward it ({reason...})", "{u} 不转发它（{reason*}）");
        on("{u} drops it ({stage}: {reason...})", "{u} 丢弃了它（{stage$}环节：{reason*}）");
        on("{u} is where the cause lies ({cause})", "{u} 是根因所在（{cause}）");
        on("make the packets come from an address {u} knows: {h} forwards {ip} out of {dev} ({route...}) without source NAT,"
                        + " which {u} does not accept: MASQUERADE on {h}'s {out}",
                "让包以 {u} 认识的地址发出：{h} 把 {ip} 从 {dev} 转发出去（{route@}）却没有做源地址转换，{u} 不接受这样的包：在 {h} 的 {out} 上做 MASQUERADE");
        on("make the packets come from an address {u} knows: {h} forwards {ip} out of {dev} ({route...}) without source NAT,"
                        + " which {u} does not route back: MASQUERADE on {h}'s {out}",
                "让包以 {u} 认识的地址发出：{h} 把 {ip} 从 {dev} 转发出去（{route@}）却没有做源地址转换，{u} 无法把应答路由回来：在 {h} 的 {out} 上做 MASQUERADE");
        on("{h} is the last host on the way there that is yours", "{h} 是这条路上最后一台归你管的主机");
        on("{h} hands {ip} to it by {route...}, although {others...} on its own link routes it",
                "{h} 按 {route@} 把 {ip} 交给了它，而 {h} 自己链路上的 {others} 就能路由这个地址");
        on("{h} hands {ip} to {next} by {route...}, which has no route for it, although {others...} on its own link routes it",
                "{h} 按 {route@} 把 {ip} 交给了 {next}，而 {next} 没有去往它的路由；{h} 自己链路上的 {others} 就能路由这个地址");
        on("{h} hands {ip} to {next} by {route...}, and it dies on {dying} for lack of a route, although {others...} on its own link routes it",
                "{h} 按 {route@} 把 {ip} 交给了 {next}，包最终因为没有路由死在 {dying} 上；{h} 自己链路上的 {others} 就能路由这个地址");
        on("the request came in on {in} from {from}, the answer leaves by {out} ({route...}): send it back out of {back}",
                "请求从 {in} 进来（来自 {from}），应答却从 {out} 出去（{route@}）：应让应答从 {back} 原路返回");
        on("{host} rewrites the source of {ip} to {other} on its way out of {dev}, an address {host} does not own ({dev} has {own})",
                "{host} 在从 {dev} 发出时把源地址 {ip} 改成了 {other}，而这不是 {host} 自己的地址（{dev} 的地址是 {own}）");
        on("{host} rewrites the source of {ip} to {other} on its way out of {dev}, an address {host} does not own",
                "{host} 在从 {dev} 发出时把源地址 {ip} 改成了 {other}，而这不是 {host} 自己的地址");
        on("{host} sends {ip} via {gw} on {dev} ({route...}), but no host on that link has {gw}",
                "{host} 经 {dev} 上的 {gw} 发送去往 {ip} 的包（{route@}），但那条链路上没有任何主机拥有 {gw}");
        on("{host}'s route {route...} covers {ip} and looks for it on {dev}, where no host has it; its gateway {gw} on {gwdev} is never asked",
                "{host} 的路由 {route@} 覆盖了 {ip}，于是在 {dev} 上找它，而那里没有主机拥有这个地址；{gwdev} 上的网关 {gw} 根本没被问到");
        on("{host} looks for {ip} on {dev} ({route...}), but no host on that link answers for it; its gateway {gw} is on the same link",
                "{host} 在 {dev} 上找 {ip}（{route@}），但那条链路上没有主机应答；它的网关 {gw} 就在同一条链路上");
        on("{host} looks for {ip} on {dev} ({route...}), but no host on that link answers for it",
                "{host} 在 {dev} 上找 {ip}（{route@}），但那条链路上没有主机应答");
        on("dockerd creates DOCKER-USER and leaves its rules alone, but nothing saves them across a reboot: run each command after docker"
                        + " starts (a drop-in for docker.service with one `ExecStartPost=/usr/sbin/iptables ...` line per command), not from a"
                        + " full iptables-save, which would restore Docker's own chains too",
                "dockerd 会创建 DOCKER-USER 链且不动其中的规则，但重启后不会保留：在 docker 启动之后执行每条命令（给 docker.service 加一个"
                        + " drop-in，每条命令一行 `ExecStartPost=/usr/sbin/iptables ...`），不要用完整的 iptables-save 恢复，那样会连 Docker 自己的链一起恢复");
        on("remove what adds `{rule:[^`]+}` at boot (read from {where}): a `post-up` line in /etc/network/interfaces, a netplan"
                        + " `routing-policy:` entry, or a script of the program that installed it",
                "删掉开机时添加 `{rule}` 的配置（读自 {where}）：/etc/network/interfaces 里的 `post-up` 行、netplan 的 `routing-policy:` 条目，或安装它的程序的脚本");
        on("remove what adds `{rule:[^`]+}` at boot: a `post-up` line in /etc/network/interfaces, a netplan `routing-policy:` entry,"
                        + " or a script of the program that installed it",
                "删掉开机时添加 `{rule}` 的配置：/etc/network/interfaces 里的 `post-up` 行、netplan 的 `routing-policy:` 条目，或安装它的程序的脚本");
        on("remove what adds `{route...}` at boot (read from {where}): a `post-up` line in /etc/network/interfaces, a netplan `routes:` entry,"
                        + " or a script of the program that installed it",
                "删掉开机时添加 `{route}` 的配置（读自 {where}）：/etc/network/interfaces 里的 `post-up` 行、netplan 的 `routes:` 条目，或安装它的程序的脚本");
        on("remove what adds `{route...}` at boot: a `post-up` line in /etc/network/interfaces, a netplan `routes:` entry,"
                        + " or a script of the program that installed it",
                "删掉开机时添加 `{route}` 的配置：/etc/network/interfaces 里的 `post-up` 行、netplan 的 `routes:` 条目，或安装它的程序的脚本");
        on("{host} never saw the request (the answer left its path on {split}), so conntrack marks the answer INVALID and `{rule...}` drops it",
                "{host} 从没见过请求（应答在 {split} 就离开了请求的路径），连接跟踪因此把应答判为 INVALID，被 `{rule}` 丢弃");

        // ---------------------------------------------------------------- lab verify: what the rebuilt lab approximates
        on("note: {note...}", "注：{note*}");
        on("segment {segment} has one member: left out", "网段 {segment} 只有一个成员：不搭建");
        on("{host}: its listening sockets are not known: {service} is opened, as the simulation assumes",
                "{host}：不知道它在监听哪些端口：按模拟的假设打开 {service}");
        on("{host}: {dev} ({kind}, no daemon for it in the network) is on no segment: a dummy device stands in, and what is sent there is lost",
                "{host}：{dev}（{kind}，网络里没有管理它的守护进程）不在任何网段上：用 dummy 设备代替，发往它的包都会丢失");
        on("{host}: {dev} is on no segment: a dummy device stands in, and what is sent there is lost",
                "{host}：{dev} 不在任何网段上：用 dummy 设备代替，发往它的包都会丢失");
        on("{host}: {service} listens on {addr} only; the lab's service listens on every address",
                "{host}：{service} 只监听 {addr}；实验环境里的服务监听所有地址");
        on("{host}: OpenVPN {dev}: left out {list...} (programs, users, files outside the lab); certificates are the lab's own",
                "{host}：OpenVPN {dev}：去掉了 {list}（外部程序、切换用户、实验环境之外的文件）；证书用实验环境自己签发的");
        on("{host}: OpenVPN {dev}: client-config-dir added to pin the clients' tunnel addresses",
                "{host}：OpenVPN {dev}：加上 client-config-dir，用来固定各客户端的隧道地址");
        on("{host}: {dev} peer {key} belongs to no host of the network: it stays a stranger in the lab",
                "{host}：{dev} 的对端 {key} 不属于网络里的任何主机：在实验环境里它仍是陌生对端");
        on("building {n} hosts in network namespaces...", "正在用网络命名空间搭建 {n} 台主机……");
        on("probing before and after fix {n} ({id})...", "正在修复 {n}（{id}）前后分别探测……");

        // ---------------------------------------------------------------- fixes: persistence
        on("/etc/network/interfaces: each ip route / ip rule command above as a `post-up` line in the stanza of its interface"
                        + " (netplan: `routes:` with `table:`, and `routing-policy:`)",
                "/etc/network/interfaces：把上面每条 ip route / ip rule 命令写成所属接口配置段里的一行 `post-up`"
                        + "（netplan：用带 `table:` 的 `routes:`，以及 `routing-policy:`）");
        on("{then...}; replace the configuration that adds `{old...}`", "{then*}；并替换原来添加 `{old}` 的配置");
        on("/etc/network/interfaces: `post-up {command...}` in the `iface {dev}` stanza (netplan: a `routes:` entry of {dev}{table:.*})",
                "/etc/network/interfaces：在 `iface {dev}` 配置段里加 `post-up {command}`（netplan：{dev} 下的一条 `routes:`{table*}）");
        on(" with `table: {table}`", "，带 `table: {table}`");
        on("/etc/network/interfaces: `post-up {command...}` in the stanza of the interface it belongs to (netplan: a `routing-policy:` entry)",
                "/etc/network/interfaces：在所属接口的配置段里加 `post-up {command}`（netplan：一条 `routing-policy:`）");
        on("/etc/config/network: a `config route` section ({options...}, option interface = the network of {dev})",
                "/etc/config/network：加一个 `config route` 段（{options}，option interface 设为 {dev} 所属的网络）");
        on("/etc/config/network: a `config rule` section ({options...})", "/etc/config/network：加一个 `config rule` 段（{options}）");
        on("{file} keeps `AllowedIPs = {list...}` in the [Peer] with PublicKey = {key}: wg-quick (and systemd's wg-quick@{dev}) sets the rest up again at every start",
                "{file} 中 PublicKey = {key} 的 [Peer] 保留 `AllowedIPs = {list}`：wg-quick（以及 systemd 的 wg-quick@{dev}）每次启动时会重新设置其余部分");
        on("/etc/wireguard/{dev}.conf: `FwMark = {mark}` in [Interface]", "/etc/wireguard/{dev}.conf：在 [Interface] 中写 `FwMark = {mark}`");
        on("the program that adds it (here wg-quick) adds it again at its next start", "添加它的程序（这里是 wg-quick）下次启动时会再次添加");
        on("iptables-save > /etc/iptables/rules.v4 (Debian/Ubuntu: package iptables-persistent restores it at boot)",
                "iptables-save > /etc/iptables/rules.v4（Debian/Ubuntu：iptables-persistent 软件包会在开机时恢复这些规则）");
        on("ufw makes the whole ruleset again at every start (an iptables-save file is not read): the same change in"
                        + " /etc/ufw/before.rules or after.rules (a policy: /etc/default/ufw), then `ufw reload`",
                "ufw 每次启动都会重建整套规则（不读 iptables-save 保存的文件）：把同样的改动写进 /etc/ufw/before.rules 或 after.rules"
                        + "（默认策略写进 /etc/default/ufw），再执行 `ufw reload`");
        on("firewalld makes the whole ruleset again at every start (an iptables-save file is not read): a rule it made comes"
                        + " back unless the zone's --permanent settings change; a rule of your own goes in as firewall-cmd --permanent --direct",
                "firewalld 每次启动都会重建整套规则（不读 iptables-save 保存的文件）：它自己生成的规则会回来，除非改了区域的 --permanent 设置；"
                        + "自己加的规则用 firewall-cmd --permanent --direct 写入");
        on("/etc/ufw/before.rules: the line `{line...}` in its *{table} section (a `*{table}` section with `:{chain} ACCEPT [0:0]` and"
                        + " COMMIT, before *filter, when there is none), then `ufw reload`: ufw makes the whole ruleset again at every start, and"
                        + " an iptables-save file is not read",
                "/etc/ufw/before.rules：在它的 *{table} 段里加上 `{line}` 这一行（没有这一段时，在 *filter 之前加一个 `*{table}` 段，含"
                        + " `:{chain} ACCEPT [0:0]` 和 COMMIT），再执行 `ufw reload`：ufw 每次启动都会重建整套规则，不读 iptables-save 保存的文件");
        on("/etc/ufw/before.rules: the line `{line...}` in its *filter section, then `ufw reload`: ufw makes the whole ruleset again at"
                        + " every start, and an iptables-save file is not read",
                "/etc/ufw/before.rules：在它的 *filter 段里加上 `{line}` 这一行，再执行 `ufw reload`：ufw 每次启动都会重建整套规则，不读 iptables-save 保存的文件");
        on("firewall-cmd --permanent --direct --add-rule {rule...} (firewalld makes the whole ruleset again at every start, and an"
                        + " iptables-save file is not read)",
                "firewall-cmd --permanent --direct --add-rule {rule}（firewalld 每次启动都会重建整套规则，不读 iptables-save 保存的文件）");
        on("ufw keeps the rule in /etc/ufw/user.rules itself: it survives a reboot", "ufw 自己把这条规则存进 /etc/ufw/user.rules：重启后仍然有效");
        on("ufw writes DEFAULT_FORWARD_POLICY=\"ACCEPT\" to /etc/default/ufw: it survives a reboot",
                "ufw 会把 DEFAULT_FORWARD_POLICY=\"ACCEPT\" 写进 /etc/default/ufw：重启后仍然有效");
        on("--permanent writes it to /etc/firewalld/zones/{zone}.xml: it survives a reboot",
                "--permanent 会把它写进 /etc/firewalld/zones/{zone}.xml：重启后仍然有效");
        on("the same on the running rules: {commands...}", "在当前运行的规则上等价于：{commands}");
        on("/etc/firewall.user (fw3), or the equivalent section in /etc/config/firewall", "/etc/firewall.user（fw3），或 /etc/config/firewall 里相应的配置段");
        on("/etc/config/firewall: option forward '{policy}' in the `defaults` (or the zone's) section",
                "/etc/config/firewall：在 `defaults`（或相应 zone）段里设置 option forward '{policy}'");
        on("{command:uci add_list .*} (add route_allowed_ips '1' to that section, or a route, for the kernel route)",
                "`{command}`（内核路由：在该段加上 route_allowed_ips '1'，或另加一条路由）");
        on("/etc/wireguard/{dev}.conf: `AllowedIPs = {list...}` in the [Peer] with PublicKey = {key} (wg-quick then also adds the route)",
                "/etc/wireguard/{dev}.conf：在 PublicKey = {key} 的 [Peer] 段里写 `AllowedIPs = {list}`（wg-quick 启动时会据此添加路由）");
        on("{file} (relative to the server's working directory) is read when {cn} connects: the line takes effect at its next connection"
                        + " (restart the client, or kill its session on the management interface); the server configuration needs"
                        + " `route {net...}` for the kernel route",
                "{file}（路径相对于服务端的工作目录）在 {cn} 连接时读取：这一行在它下次连接时生效（重启客户端，或在管理接口上 kill 它的会话）；"
                        + "服务端配置里还需要 `route {net}` 来添加内核路由");
        on("{file} (relative to the working directory of the server, where {config...} is) is read when {cn} connects: the line"
                        + " takes effect at its next connection and stays; the server configuration needs `route {net...}` for the kernel route",
                "{file}（路径相对于服务端的工作目录，即 {config} 所在的目录）在 {cn} 连接时读取：这一行在它下次连接时生效并一直有效；"
                        + "服务端配置里还需要 `route {net}` 来添加内核路由");
        on("a signal, nothing to keep: {why...} (under systemd, which starts {config} in /etc/openvpn/client or /etc/openvpn/server:"
                        + " systemctl kill -s {signal} {unitClient} or {unitServer})",
                "只是发一个信号，无需持久化：{why*}（若由 systemd 从 /etc/openvpn/client 或 /etc/openvpn/server 启动 {config}："
                        + "`systemctl kill -s {signal} {unitClient}` 或 `systemctl kill -s {signal} {unitServer}`）");
        on("{cn}'s OpenVPN reconnects, and the server reads {file} as it does at every connection",
                "{cn} 的 OpenVPN 重新连接，服务端像每次连接时一样重新读取 {file}");
        on("OpenVPN re-reads {config}, puts back the old default route and connects again with def1",
                "OpenVPN 重新读取 {config}，恢复原来的默认路由，并以 def1 方式重新连接");
        on("the server re-reads {config}; a client gets the new line when it connects again",
                "服务端重新读取 {config}；客户端下次连接时才会收到新的这一行");
        on("{cn}'s OpenVPN puts back the old default route and reconnects to receive the new line",
                "{cn} 的 OpenVPN 恢复原来的默认路由，并重新连接以接收新的这一行");
        on("{file} is the configuration itself ({where} was `{old...}`): the new line stays",
                "{file} 就是配置文件本身（{where} 原为 `{old}`）：新的这一行会一直保留");
        on("uci commit writes /etc/config/firewall (option {option} '{value}' in the zone '{zone}'), which survives a reboot",
                "uci commit 会写入 /etc/config/firewall（zone '{zone}' 中的 option {option} '{value}'），重启后依然有效");
        on("uci commit writes /etc/config/firewall (option {option} '{value}' in zone '{zone}'), which survives a reboot;"
                        + " fw4 reload (as /etc/init.d/firewall reload) applies it now",
                "uci commit 会写入 /etc/config/firewall（zone '{zone}' 中的 option {option} '{value}'），重启后依然有效；"
                        + "fw4 reload（即 /etc/init.d/firewall reload）让它立即生效");
        on("N is the index of zone '{zone}' among the zone sections of /etc/config/firewall, which roundtrip was not given"
                        + " (fw4's ruleset names the zone, not its place): {show:`.*`} prints it as {line}",
                "N 是 zone '{zone}' 在 /etc/config/firewall 所有 zone 段中的序号；roundtrip 没有拿到这个文件（fw4 生成的规则集只写 zone 的名字，"
                        + "不写它的位置）：在路由器上运行 {show}，输出里的 {line} 就给出了 N");
        on("the same on the running ruleset, lost at the next fw4 reload or reboot: {commands...}",
                "在正在运行的规则集上做同样的改动（下次 fw4 reload 或重启后失效）：`{commands}`");

        // ---------------------------------------------------------------- fixes: why one could not be simulated
        on("no host {host}", "没有主机 {host}");
        on("not simulated: fw4 rebuilds its nft ruleset from /etc/config/firewall, which the snapshot does not hold ({option} on zone {zone})",
                "未模拟：fw4 根据 /etc/config/firewall 重新生成 nft 规则集，而快照里没有这个文件（zone {zone} 的 {option}）");
        on("wg: peer {key} is not a peer of {dev}", "wg：{key} 不是 {dev} 的对端");
        on("{log:RTNETLINK answers: File exists} ({route...})", "\"{log}\"：已经有这条路由（{route@}）");
        on("no WireGuardConfig on device {dev}", "设备 {dev} 上没有 WireGuard 配置");
        on("no OpenVpnConfig on device {dev}", "设备 {dev} 上没有 OpenVPN 配置");
        on("no {kind} on device {dev}", "设备 {dev} 上没有 {kind}");
        on("{host}: its firewall is not an iptables-save file; the iptables change cannot be simulated",
                "{host}：它的防火墙不是 iptables-save 格式，无法模拟这条 iptables 改动");
        on("{log:iptables: Bad rule \\(does a matching rule exist in that chain\\?\\)}: {line...}", "\"{log}\"：`{line}`");

        // ---------------------------------------------------------------- what a snapshot did not hold (sysctl.txt, ...)
        on("not collected: {what...}", "未采集：{what*}");
        on("{n} decision(s) rest on settings that were not collected, first: {message...}", "有 {n} 处判断依赖没有采集的设置，第一处：{message*}");
        on("net.ipv4.ip_forward taken as 0, the kernel's default, so {host} does not forward; whether it really forwards is not known",
                "net.ipv4.ip_forward 按内核默认值 0 处理，所以 {host} 不转发；它实际是否转发无从得知");
        on("net.ipv4.conf.all.route_localnet taken as 0, the kernel's default: loopback addresses on {dev} are dropped as martians unless it is 1",
                "net.ipv4.conf.all.route_localnet 按内核默认值 0 处理：除非它是 1，{dev} 上的环回地址按非法地址（martian）丢弃");
        on("net.netfilter.nf_conntrack_tcp_loose taken as 1, the kernel's default: conntrack picks up a TCP connection in the middle (NEW),"
                        + " with 0 such a packet is INVALID",
                "net.netfilter.nf_conntrack_tcp_loose 按内核默认值 1 处理：连接跟踪会从中途接管 TCP 连接（NEW），为 0 时这样的包是 INVALID");
        on("the reverse path filter's sysctls (rp_filter, accept_local, src_valid_mark) taken as 0, the kernel's defaults: with {values...}"
                        + " {host} would {verdict:accept|drop} this packet from {ip} on {dev}",
                "反向路径过滤相关参数（rp_filter、accept_local、src_valid_mark）按内核默认值 0 处理：若 {values}，{host} 会"
                        + "{verdict*}这个从 {dev} 进来、来自 {ip} 的包");
        on("accept", "接受");
        on("drop", "丢弃");
        on("net.ipv4.conf.*.arp_ignore taken as 0, the kernel's default: {host} answers ARP on {dev} for {ip}, an address of another of its"
                        + " interfaces; with arp_ignore = 1 it would not",
                "net.ipv4.conf.*.arp_ignore 按内核默认值 0 处理：{host} 在 {dev} 上替 {ip}（它另一个接口的地址）应答 ARP；arp_ignore = 1 时不会");
        on("net.ipv4.conf.*.proxy_arp and forwarding taken as 0, the kernel's defaults: {host} does not answer ARP on {dev} for {ip};"
                        + " with proxy_arp = 1 it would, as it routes that address elsewhere",
                "net.ipv4.conf.*.proxy_arp 和转发按内核默认值 0 处理：{host} 不在 {dev} 上替 {ip} 应答 ARP；proxy_arp = 1 时会，因为它把这个地址路由到别处");
        on("{key:net\\.bridge\\.bridge-nf-call-ip6?tables} taken as 0 (br_netfilter not loaded): frames bridged by {br} skip {host}'s {tool:ip6?tables}; with it on"
                        + " they would cross its FORWARD chain",
                "{key} 按 0 处理（br_netfilter 未加载）：经 {br} 桥接的帧不经过 {host} 的 {tool}；开启时会经过它的 FORWARD 链");
        on("{key:net\\.ipv[46]\\.icmp(_|\\.)echo_ignore_all} taken as 0, the kernel's default: {host} answers pings unless it is 1",
                "{key} 按内核默认值 0 处理：除非它是 1，否则 {host} 会应答 ping");

        // ---------------------------------------------------------------- warnings: wg-quick files (what wg-quick up does)

        // ---------------------------------------------------------------- warnings: tunnel configuration that does not add up
        on("{host} {dev}: TAP mode is simulated at layer 3 like tun (MAC learning, ARP and broadcasts are not simulated): results for it are less certain",
                "{host} 的 {dev}：TAP 模式按三层（和 tun 一样）模拟（不模拟 MAC 学习、ARP 和广播）：相关结论的把握较低");
        on("net30: {host} {dev} is {ip} with peer {peer}, a point-to-point link of its own (a /30 of the server's pool), not an address"
                        + " in a shared subnet: everything in the tunnel goes to {peer}, and the server's own {srv} is reached by the route"
                        + " OpenVPN pushes for it",
                "net30：{host} 的 {dev} 是 {ip}，对端 {peer}，这是它独占的点对点链路（服务端地址池里的一个 /30），不是共享网段里的地址："
                        + "进隧道的一切都发往 {peer}，服务端自己的 {srv} 靠 OpenVPN 推送的那条路由到达");
        on("{host}: OpenVPN {dev} would add \"{route...}\" ({where}), which the kernel refuses while this route exists (File exists):"
                        + " this one is used",
                "{host}：OpenVPN {dev} 会添加 \"{route}\"（{where}），但这条路由已存在，内核会拒绝（File exists）：生效的是这一条");
        on("{host}: OpenVPN {dev}: remote {name} is {ip} (names:), the lab has no DNS",
                "{host}：OpenVPN {dev}：remote {name} 取 names: 里的 {ip}（实验环境没有 DNS）");
        on("no interface \"{name}\" on {host}: the rule names a device the host does not have, so it matches nothing until one exists",
                "{host} 上没有接口 \"{name}\"：这条规则写的设备主机上不存在，在它出现之前这条规则什么也匹配不到");
        on("no interface \"{name}\" on {host}: the rule names devices no interface's name begins with, so it matches nothing until one exists",
                "{host} 上没有接口 \"{name}\"：没有任何接口名以它开头，在这样的接口出现之前这条规则什么也匹配不到");
        on("the rule names {devs...} on {host}, which is down: no packet comes in by it now",
                "这条规则写的是 {host} 上的 {devs}，它处于 down 状态：现在没有包会从它进来");
        on("the rule names {devs...} on {host}, which are down: no packet comes in by them now",
                "这条规则写的是 {host} 上的 {devs}，它们都处于 down 状态：现在没有包会从它们进来");
        on("the rule names {devs...} on {host}, which is down: no packet leaves by it now",
                "这条规则写的是 {host} 上的 {devs}，它处于 down 状态：现在没有包会从它出去");
        on("the rule names {devs...} on {host}, which are down: no packet leaves by them now",
                "这条规则写的是 {host} 上的 {devs}，它们都处于 down 状态：现在没有包会从它们出去");
        on("{host}: OpenVPN ({dev}) installs a route to {dst}, but the collected routing table has none (route add failed, e.g. without the"
                        + " rights to add it; or the table changed since)",
                "{host}：OpenVPN（{dev}）会添加去往 {dst} 的路由，但采集到的路由表里没有（route add 失败，例如没有权限；或者之后路由表变过）");
        on("{host} {dev}: remote {addr} is {owner}, which has no OpenVPN server listening on {proto} port {port}: the tunnel cannot come up",
                "{host} 的 {dev}：remote {addr} 是 {owner}，但它的 {proto} 端口 {port} 上没有 OpenVPN 服务端在监听：隧道建立不起来");
        on("{host} {dev}: remote {addr} is no host's address; taken to reach the only server on {proto} port {port}, {server} (port forwarding?)",
                "{host} 的 {dev}：remote {addr} 不是任何主机的地址；假定它通往 {proto} 端口 {port} 上唯一的服务端 {server}（端口转发？）");
        on("{host} {dev}: remote {addr} is no host's address and no server matches: the server side is not simulated",
                "{host} 的 {dev}：remote {addr} 不是任何主机的地址，也没有匹配的服务端：不模拟服务端一侧");
        on("{host} {dev}: remote {addr} is no host's address and more than one server matches: the server side is not simulated",
                "{host} 的 {dev}：remote {addr} 不是任何主机的地址，又有多个服务端都能匹配：不模拟服务端一侧");
        on("{host} {dev}: remote {name} is a host name no names: entry of a network file maps to an address (roundtrip never asks DNS;"
                        + " add names: {{name}: ADDRESS}): the tunnel's server side is not simulated",
                "{host} 的 {dev}：remote {name} 是主机名，网络文件的 names: 里没有它对应的地址（roundtrip 从不查询 DNS；请加上"
                        + " names: {{name}: 地址}）：不模拟服务端一侧");
        on("{host} {dev}: remote {name} is a host name no names: entry of a network file maps to an address (roundtrip never asks DNS;"
                        + " add names: {{name}: ADDRESS}): the simulation follows remote {other}",
                "{host} 的 {dev}：remote {name} 是主机名，网络文件的 names: 里没有它对应的地址（roundtrip 从不查询 DNS；请加上"
                        + " names: {{name}: 地址}）：模拟时走 remote {other}");
        on("client {cn} has no virtual address in the status file", "status 文件里客户端 {cn} 没有虚拟地址");
        on("client {cn} is disabled by its CCD file: the server refuses it", "客户端 {cn} 被它的 CCD 文件禁用（disable）：服务端拒绝它连接");
        on("client {cn} has no CCD file and the server has ccd-exclusive: the server refuses it",
                "客户端 {cn} 没有 CCD 文件，而服务端设了 ccd-exclusive：服务端拒绝它连接");
        on("client {cn} has {ip} on {dev} but its CCD pushes {pushed}: the server's table uses the pushed one",
                "客户端 {cn} 在 {dev} 上的地址是 {ip}，但它的 CCD 推送的是 {pushed}：服务端按推送的地址记录它");
        on("client {cn} ({id}) has no address on {dev}: and the server has no pool; its packets cannot be matched",
                "客户端 {cn}（{id}）的 {dev} 上没有地址，服务端也没有地址池：无法认出它的包");
        on("client {cn} ({id}) has no address on {dev}: taken to get {ip} from the pool, in connection order",
                "客户端 {cn}（{id}）的 {dev} 上没有地址：按连接顺序假定它从地址池分到 {ip}");
        on("client host {host} points its remote at this server but the status file does not list it (not connected when it was written?):"
                        + " paired with common name {cn}",
                "客户端主机 {host} 的 remote 指向这台服务端，但 status 文件里没有它（写文件时没连着？）：配对时 common name 取 {cn}");
        on("CCD file for common name {cn}, but the status file does not list such a client: its iroutes are not used",
                "有 common name 为 {cn} 的 CCD 文件，但 status 文件里没有这个客户端：其中的 iroute 不会生效");
        on("CCD file for common name {cn}, but no client host of that name points at this server: its iroutes are not used",
                "有 common name 为 {cn} 的 CCD 文件，但没有这个名字的客户端主机指向这台服务端：其中的 iroute 不会生效");
        on("clients {a} and {b} have the same virtual address {ip}: the server routes it to only one of them",
                "客户端 {a} 和 {b} 的虚拟地址都是 {ip}：服务端只会把它路由给其中一个");
        on("pull-filter {filter...} rejects pushed \"{option...}\": the client disconnects", "pull-filter {filter} 拒绝了推送的 \"{option}\"：客户端会断开连接");
        on("route {net}: its gateway is unknown on {host}, not added", "route {net}：{host} 上不知道它的网关，不会添加");
        on("{log:NOTE: unable to redirect IPv4 default gateway -- Cannot read current default gateway from system} ({host} has no default route):"
                        + " no redirect routes are added",
                "\"{log}\"（{host} 没有默认路由）：不会添加重定向路由");
        on("redirect-gateway local: no host route to the server {ip}, which is not on a connected subnet: the tunnel's own packets will follow"
                        + " the new default into the tunnel (\"Recursive routing detected\")",
                "redirect-gateway local：没有到服务端 {ip} 的主机路由，而它又不在直连网段上：隧道自己的包会跟着新的默认路由进入隧道"
                        + "（\"Recursive routing detected\"）");
        on("redirect-gateway without def1 deletes \"{old...}\" and adds \"{added...}\"", "不带 def1 的 redirect-gateway 会删掉 \"{old}\"，再加上 \"{added}\"");
        on("route {dst} conflicts with \"{other...}\" on {host}: RTNETLINK answers: File exists (ERROR: Linux route add command failed),"
                        + " the route is not installed",
                "route {dst} 与 {host} 上的 \"{other}\" 冲突：\"RTNETLINK answers: File exists\"（\"ERROR: Linux route add command failed\"），这条路由没有装上");
        on("route {dst} to {dev}: the more specific \"{other...}\" on {host} still wins for {net}",
                "route {dst}（经 {dev}）：{host} 上更具体的 \"{other}\" 对 {net} 仍然优先");
        on("route {dst} to {dev} takes part of {host}'s own connected network {net} ({netDev}) into the tunnel",
                "route {dst}（经 {dev}）把 {host} 自己的直连网段 {net}（{netDev}）的一部分拉进了隧道");
        on("tunnel configuration of an unknown kind: {kind}", "未知类型的隧道配置：{kind}");
        on("{host} {dev}: peer {key} matches no WireGuard interface in the snapshot (keys do not pair): packets to it cannot be followed",
                "{host} 的 {dev}：对端 {key} 与快照里的任何 WireGuard 接口都对不上（公钥不配对）：无法跟踪发往它的包");
        on("{host} {dev}: Endpoint {ip} is an address no host in the snapshot has (it may be behind NAT)",
                "{host} 的 {dev}：Endpoint {ip} 不是快照里任何主机的地址（可能在 NAT 后面）");
        on("{dev} on {host}: public keys are missing, the peer sending from {ip} was assumed to be this [Peer]",
                "{host} 上的 {dev}：缺少公钥，假定从 {ip} 发来的就是这个 [Peer]");

        // ---------------------------------------------------------------- the demo's namespace step
        on("the lab needs root (uid is {uid})", "实验环境需要 root 权限（当前 uid 为 {uid}）");
        on("'ip netns' does not work here", "这里无法使用 'ip netns'");
        on("{tool} is not installed", "没有安装 {tool}");
        on("cannot run ip: {message...}", "无法运行 ip：\"{message}\"");

        // ---------------------------------------------------------------- a finding named by where it was lost: "stage: reason"
        on("{stage:link|routing|rp_filter|forwarding|ttl|socket|netfilter|nat|delivery|arp|loop|wireguard|openvpn|tun}: {reason...}",
                "{stage$}环节：{reason*}");
    }

    /**
     * The layers whose sentences have Chinese: each files its own in zh/LAYER.properties next to this class, keyed by
     * {@link Message.Id#key()} (the layer, a dot, the constant).
     */
    static final List<String> LAYERS = List.of("model", "kernel", "netfilter", "iptables", "nft", "sim", "tunnel", "diagnose", "fix",
            "importer", "openwrt", "lab", "cli", "report");

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
        if (m.id() == null) return translate(m.text());
        String zh = template(m.id());
        return zh == null ? m.english() : m.fill(zh, Zh::value);
    }

    private static String value(Object v) {
        if (v instanceof Message m) return untidy(m);
        if (v instanceof Message.Term t) return stage(t.word());
        if (v instanceof Message.RouteText r) return route(r.toString(), true);
        return String.valueOf(v);
    }

    /** The Chinese of one English sentence, or the sentence itself when the table does not know it. */
    public static String text(String english) {
        return english == null ? null : tidy(translate(english));
    }

    private static String translate(String english) {
        if (english.isEmpty()) return english;
        for (Entry e : TABLE) {
            Matcher m = e.english().matcher(english);
            if (!m.matches()) continue;
            StringBuilder out = new StringBuilder();
            Matcher t = TARGET.matcher(e.chinese());
            while (t.find()) {
                String value = m.group(t.group(1));
                String filled = switch (t.group(2)) {
                    case "*" -> translate(value);
                    case "@" -> route(value, true);
                    case "$" -> stage(value);
                    default -> value;
                };
                t.appendReplacement(out, Matcher.quoteReplacement(filled));
            }
            t.appendTail(out);
            return out.toString();
        }
        return english;
    }

    /** A stage of the packet path (routing, netfilter, ...) as a Chinese admin says it. */
    public static String stage(String stage) {
        return stage == null ? null : STAGES.getOrDefault(stage, stage);
    }

    /**
     * A route as `ip route` prints it, with the rule that selected its table in Chinese; {@code quoted} puts the
     * route text in backticks for a sentence (a table column does without).
     */
    public static String route(String text, boolean quoted) {
        if (text == null || text.isEmpty()) return text;
        if (text.equals("no route")) return "无路由";
        String rule = null;
        int via = text.indexOf(" (via rule ");
        if (via > 0 && text.endsWith(")")) {
            rule = text.substring(via + " (via rule ".length(), text.length() - 1);
            text = text.substring(0, via);
        }
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
