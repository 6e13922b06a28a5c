package roundtrip.importer;

import roundtrip.model.Message;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Source;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routing table names of one host. iproute2 prints a table by name when the host's rt_tables names it; only
 * the reserved names (local, main, default, unspec) are known without that file. An unknown name gets a
 * stand-in number, the same for the routes and the rules of the host (so "lookup vpn" still finds the routes
 * printed with "table vpn"), chosen from a range no numeric table of the host uses; a Problem records it.
 */
final class TableNames {
    /** Stand-in numbers count down from here; real tables this high are vanishingly rare. */
    private static final int STAND_IN_START = 0x7ffffff0;

    private final Set<Integer> numbersInUse = new HashSet<>();
    private final Map<String, Integer> standIns = new LinkedHashMap<>();
    private final List<Problem> problems;

    TableNames(List<Problem> problems) { this.problems = problems; }

    /** Notes a numeric table seen anywhere on the host, so no stand-in collides with it. */
    void noteNumber(String table) {
        Integer n = number(table);
        if (n != null) numbersInUse.add(n);
    }

    /** The table id for a name or number as printed ("local", "main", "100"); null when it is neither. */
    static Integer known(String table) {
        return switch (table) {
            case "local" -> Route.TABLE_LOCAL;
            case "main" -> Route.TABLE_MAIN;
            case "default" -> Route.TABLE_DEFAULT;
            case "unspec" -> 0;
            default -> number(table);
        };
    }

    /** Resolves a table as printed; an unknown name gets a stand-in and a Problem quoting {@code where}. */
    int resolve(String table, Source where) {
        Integer id = known(table);
        if (id != null) return id;
        Integer standIn = standIns.get(table);
        if (standIn == null) {
            int candidate = STAND_IN_START - standIns.size();
            while (numbersInUse.contains(candidate)) candidate--;
            standIn = candidate;
            standIns.put(table, standIn);
            numbersInUse.add(standIn);
            problems.add(new Problem(where, Message.of(Sentences.TABLE_NAME_UNKNOWN, table, standIn)));
        }
        return standIn;
    }

    /** The name to show instead of a stand-in number, or null. */
    String nameOf(int id) {
        for (Map.Entry<String, Integer> e : standIns.entrySet()) if (e.getValue() == id) return e.getKey();
        return null;
    }

    /** Renders text made with Route.tableName, putting the original name back in place of a stand-in. */
    String restoreNames(String text) {
        String out = text;
        for (Map.Entry<String, Integer> e : standIns.entrySet())
            out = out.replaceAll("\\b(table|lookup) " + e.getValue() + "\\b", "$1 " + e.getKey());
        return out;
    }

    private static Integer number(String table) {
        if (table.isEmpty()) return null;
        for (int i = 0; i < table.length(); i++) if (!Character.isDigit(table.charAt(i))) return null;
        try {
            long n = Long.parseLong(table);
            if (n > 0xffffffffL) return null;
            return (int) n;   // u32 table ids above 2^31 wrap to negative ints; identity is what matters
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
