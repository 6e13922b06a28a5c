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
        on("RST: no connection for this segment", "RST：这个报文段没有对应的连接");
        on("forward: {route...}", "转发：{route}");
        on("local delivery: {route...}", "本机投递：{route}");
        on("{what...} (connection refused)", "{what*}（连接被拒绝）");
        on("{reason...} (bridged traffic, {key:bridge-nf-call-ip6?tables} = 1)", "{reason*}（桥接流量，{key} = 1）");
        on("{log...}: the tunnel's own packets are routed into the tunnel", "\"{log}\"：隧道自己的包被路由进了隧道本身");

        // ---------------------------------------------------------------- kernel: links, addresses, forwarding
        // kernel, sim, netfilter, iptables and nft say these by id now (zh/<layer>.properties); the English stays here while diagnose
        // nests it in sentences of its own as text (Diagnoser's "stage: reason", "first: message"): delete once those are by id
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
        on("neighbour discovery for {ip} on {dev} failed: {host} {what:dropped|rejected} the neighbour advertisement by {how...}",
                "{dev} 上对 {ip} 的邻居发现失败：{host} 的 {how*} 丢弃了邻居通告（NA）");

        // ---------------------------------------------------------------- IPv6 inputs: what a configuration leaves to run time

        // ---------------------------------------------------------------- tunnels: the daemons' messages stay verbatim
        on("ping from client {client}", "来自客户端 {client} 的 ping");

        // ---------------------------------------------------------------- diagnosis: what the finding says
        // issue 12: hosts the user cannot change, and the causes that now have fixes

        // ---------------------------------------------------------------- fixes: why one could not be simulated
        on("not simulated: fw4 rebuilds its nft ruleset from /etc/config/firewall, which the snapshot does not hold ({option} on zone {zone})",
                "未模拟：fw4 根据 /etc/config/firewall 重新生成 nft 规则集，而快照里没有这个文件（zone {zone} 的 {option}）");

        // ---------------------------------------------------------------- what a snapshot did not hold (sysctl.txt, ...)
        on("not collected: {what...}", "未采集：{what*}");
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
        if (v instanceof Message.RouteText r) return route(r, true);
        return String.valueOf(v);
    }

    /** A problem as its English line has it ("where: message: quoted text"), with the message in Chinese. */
    public static String problem(roundtrip.model.Problem p) {
        return p.source().where() + "：" + text(p.message()) + (p.source().text().isEmpty() ? "" : "：" + p.source().text());
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
                    case "@" -> legacyRoute(value);
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

    /** A route the old table matched as English text ("ROUTE (via rule RULE)"): goes with the table. */
    private static String legacyRoute(String text) {
        int via = text.indexOf(" (via rule ");
        return via > 0 && text.endsWith(")") ? route(new Message.RouteText(text.substring(0, via), text.substring(via + 11, text.length() - 1)), true)
                : route(new Message.RouteText(text, null), true);
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
        if (text.equals("no route")) return "无路由";
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
