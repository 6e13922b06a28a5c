package roundtrip.kernel;

import roundtrip.model.Ip;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;

/**
 * The outcome of a policy routing lookup: the route found (null when no table had one), the rule that led to
 * it, and for error outcomes the type (BLACKHOLE, UNREACHABLE, PROHIBIT) — from an error route or an error
 * rule action. {@code type} is UNREACHABLE with {@code route == null} when nothing matched at all.
 */
public record FibResult(Route route, Rule rule, RouteType type, boolean noRoute) {
    public static FibResult none() { return new FibResult(null, null, RouteType.UNREACHABLE, true); }

    public boolean isError() {
        return noRoute || type == RouteType.BLACKHOLE || type == RouteType.UNREACHABLE || type == RouteType.PROHIBIT;
    }

    /** The address the packet is handed to on the link: the gateway, or the destination itself. */
    public Ip nextHop(Ip dst) { return route != null && route.gateway() != null ? route.gateway() : dst; }

    public String describe() { return routeText().toString(); }

    /** The lookup's answer as a sentence quotes a route: {@link #describe()}'s text, the route and its rule apart. */
    public roundtrip.model.Message.RouteText routeText() {
        if (noRoute) return roundtrip.model.Message.RouteText.NONE;
        Rule via = viaRule();
        return new roundtrip.model.Message.RouteText(route != null ? route.text() : type.word(), via == null ? null : via.text().replace('\t', ' '));
    }

    /**
     * The policy rule the lookup went through, when it is not one of the kernel's default rules for the local and
     * main tables (those are where every lookup goes: naming them says nothing). Null otherwise.
     */
    public Rule viaRule() {
        if (noRoute || rule == null) return null;
        if (rule.priority() == 0 && "table".equals(rule.action()) && rule.table() == Route.TABLE_LOCAL) return null;
        if (rule.priority() == 32766 && rule.table() == Route.TABLE_MAIN) return null;
        return rule;
    }
}
