package roundtrip.netfilter;

import roundtrip.model.Interface;
import roundtrip.model.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Rules that name what the host does not have: an `-i`/`-o` or `iifname`/`oifname` no device of the host is called
 * (iptables and nft accept any name: the rule simply never matches, the whole bug in many real reports,
 * "MASQUERADE -o eth0" on a host that now leaves by wlan0), or one that is down. (An SNAT address the host does not
 * own is a diagnosis, not a warning: a NAT gateway's public address is routed to it without being its own; `why`
 * decides it from the answers' path.) nft's `iif`/`oif` are not here: nft resolves them to an index when the rule is
 * loaded and refuses a name no device has.
 */
public final class AbsentNames {
    private AbsentNames() {}

    /** The rules of a host's firewall (iptables and nft) that name what the host does not have. */
    public static List<Problem> of(Ruleset fw, String host, Collection<Interface> ifaces) {
        java.util.Map<String, Boolean> devices = new java.util.HashMap<>();
        for (Interface i : ifaces) devices.put(i.name(), i.up());
        List<Problem> out = new ArrayList<>();
        if (fw == null) return out;
        for (DeviceName d : fw.deviceNames()) {
            // an exact name is looked up: a router of a few hundred devices and thousands of rules naming them made
            // this a tenth of loading a large snapshot; only a prefix (`eth+`, `"wg*"`) is compared with every device
            List<String> named = !d.prefix() ? (devices.containsKey(d.name()) ? List.of(d.name()) : List.of())
                    : devices.keySet().stream().filter(d::names).sorted().toList();
            if (named.isEmpty()) {
                out.add(new Problem(d.rule(), roundtrip.model.Message.of(d.prefix() ? Sentences.NO_DEVICE_WITH_PREFIX
                        : Sentences.NO_SUCH_DEVICE, d.written(), host)));
            } else if (named.stream().noneMatch(devices::get)) {
                boolean one = named.size() == 1;
                Sentences down = d.incoming() ? (one ? Sentences.DEVICE_DOWN_IN : Sentences.DEVICES_DOWN_IN)
                        : (one ? Sentences.DEVICE_DOWN_OUT : Sentences.DEVICES_DOWN_OUT);
                out.add(new Problem(d.rule(), roundtrip.model.Message.of(down, String.join(", ", named), host)));
            }
        }
        return out;
    }
}
