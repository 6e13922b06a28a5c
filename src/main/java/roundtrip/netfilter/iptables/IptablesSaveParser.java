package roundtrip.netfilter.iptables;

import roundtrip.model.InputException;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.model.Text;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads `iptables-save` output (iptables-nft and legacy, and what iptables-restore accepts of the same shape)
 * into an {@link IptablesRuleset}. Structure errors throw {@link InputException}; rule syntax roundtrip does not
 * implement becomes a {@link Problem} and the rule is kept, so evaluation can report uncertainty where it is
 * reached.
 */
public final class IptablesSaveParser {
    /** Built-in chains of each table, in hook order. */
    static final Map<String, List<Hook>> BUILTIN = Map.of(
            "raw", List.of(Hook.PREROUTING, Hook.OUTPUT),
            "mangle", List.of(Hook.PREROUTING, Hook.INPUT, Hook.FORWARD, Hook.OUTPUT, Hook.POSTROUTING),
            "nat", List.of(Hook.PREROUTING, Hook.INPUT, Hook.OUTPUT, Hook.POSTROUTING),
            "filter", List.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT),
            "security", List.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT));

    private final String file;
    private final boolean indexed;
    private final roundtrip.model.Ip.Family family;
    private final Map<String, IptablesRuleset.Table> tables = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private IptablesRuleset.Table current;
    /** the ipset sets -m set looks in; filled in once the host's ipset.txt is read */
    private final Matches.SetHolder sets = new Matches.SetHolder();
    private int currentStart;

    private IptablesSaveParser(String file, boolean indexed, roundtrip.model.Ip.Family family) {
        this.file = file;
        this.indexed = indexed;
        this.family = family;
    }

    /**
     * @param file the file name to report in errors and to quote in Source (e.g. "router/iptables-save.txt")
     * @param text the whole file
     * @throws roundtrip.model.InputException for structurally malformed input (one line naming file:line)
     */
    public static Ruleset parse(String file, String text) {
        return parseRuleset(file, text);
    }

    /** Like {@link #parse} with the concrete type, for callers that want to inspect chains. */
    public static IptablesRuleset parseRuleset(String file, String text) {
        return parseRuleset(file, text, true);
    }

    /**
     * Like {@link #parse}, for rules embedded in or generated from another file: line {@code n} of {@code text} is
     * reported and quoted as line {@code lineInFile.applyAsInt(n)} of {@code file} (e.g. an iptables block inside
     * a YAML file, or the rules rendered from one line of a router's configuration).
     */
    public static Ruleset parse(String file, String text, java.util.function.IntUnaryOperator lineInFile) {
        return parseRuleset(file, text, true, lineInFile);
    }

    /**
     * Reads `ip6tables-save` output: the same syntax, read as ip6tables reads it (IPv6 addresses, -m icmp6, -m hl,
     * REJECT with ICMPv6), into a ruleset whose tables see IPv6 packets only.
     * @throws roundtrip.model.InputException for structurally malformed input (one line naming file:line)
     */
    public static IptablesRuleset parseIp6Ruleset(String file, String text) {
        return parseRuleset(file, text, true, n -> n, roundtrip.model.Ip.Family.IPV6);
    }

    /** As {@link #parseIp6Ruleset(String, String)}, for text quoted inside a file: line n of the text is lineInFile(n). */
    public static IptablesRuleset parseIp6Ruleset(String file, String text, java.util.function.IntUnaryOperator lineInFile) {
        return parseRuleset(file, text, true, lineInFile, roundtrip.model.Ip.Family.IPV6);
    }

    /** With {@code indexed} false every chain is walked rule by rule (tests compare the two). */
    static IptablesRuleset parseRuleset(String file, String text, boolean indexed) {
        return parseRuleset(file, text, indexed, n -> n);
    }

    static IptablesRuleset parseRuleset(String file, String text, boolean indexed, roundtrip.model.Ip.Family family) {
        return parseRuleset(file, text, indexed, n -> n, family);
    }

    private static IptablesRuleset parseRuleset(String file, String text, boolean indexed,
                                                java.util.function.IntUnaryOperator lineInFile) {
        return parseRuleset(file, text, indexed, lineInFile, roundtrip.model.Ip.Family.IPV4);
    }

    private static IptablesRuleset parseRuleset(String file, String text, boolean indexed,
                                                java.util.function.IntUnaryOperator lineInFile, roundtrip.model.Ip.Family family) {
        IptablesSaveParser parser = new IptablesSaveParser(file, indexed, family);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            // a table is frozen (its chains indexed) here, not in line(): line() runs once per line and is compiled
            // by the JIT with what it calls inlined; with commit() inside, that compile took a second of a 1,000-host
            // matrix's loading, for work done once per table (issue 13)
            if (parser.line(lineInFile.applyAsInt(i + 1), line)) parser.commit();
        }
        if (parser.current != null)
            throw new InputException(file, parser.currentStart, "table " + parser.current.name + " has no COMMIT");
        return new IptablesRuleset(parser.tables, parser.problems, text, parser.sets, family);
    }

    /** Reads one line; true for a COMMIT, which the caller then carries out ({@link #commit}). */
    private boolean line(int lineNo, String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) return false;
        if (text.startsWith("*")) {
            startTable(lineNo, text.substring(1).strip());
        } else if (text.startsWith(":")) {
            declareChain(lineNo, text);
        } else if (text.equals("COMMIT")) {
            if (current == null) throw new InputException(file, lineNo, "COMMIT outside a table");
            return true;
        } else if (text.startsWith("-") || text.startsWith("[")) {
            if (current == null) throw new InputException(file, lineNo, "rule before any *table line");
            command(lineNo, line, text);
        } else {
            throw new InputException(file, lineNo, "not an iptables-save line: " + text);
        }
        return false;
    }

    private void startTable(int lineNo, String name) {
        if (current != null)
            throw new InputException(file, lineNo, "COMMIT missing for table " + current.name + " (started at line "
                    + currentStart + ")");
        List<Hook> hooks = BUILTIN.get(name);
        if (hooks == null) throw new InputException(file, lineNo, "unknown table *" + name);
        // iptables-restore replaces a table it is given again
        current = new IptablesRuleset.Table(name, family);
        currentStart = lineNo;
        for (Hook h : hooks) {
            Chain c = new Chain(name, h.name(), true, Verdict.Kind.ACCEPT);
            current.chains.put(h.name(), c);
            current.builtinByHook[h.ordinal()] = c;
        }
    }

    private void declareChain(int lineNo, String text) {
        if (current == null) throw new InputException(file, lineNo, "chain declaration before any *table line");
        List<String> words = Tokenizer.split(text.substring(1), file, lineNo);
        if (words.size() < 2) throw new InputException(file, lineNo, "chain declaration needs a name and a policy");
        String name = words.get(0);
        String policy = words.get(1);
        if (words.size() > 3 || (words.size() == 3 && !isCounters(words.get(2))))
            throw new InputException(file, lineNo, "unexpected text after chain declaration: " + text);
        Chain existing = current.chains.get(name);
        if (existing != null && existing.builtin) {
            existing.policy = policyKind(lineNo, policy);
            existing.declaredAt = lineNo;
        } else if (existing != null) {
            throw new InputException(file, lineNo, "chain " + name + " declared twice");
        } else {
            if (!policy.equals("-"))
                throw new InputException(file, lineNo, "user chain " + name + " cannot have a policy (" + policy + ")");
            checkChainName(lineNo, name);
            Chain c = new Chain(current.name, name, false, null);
            c.declaredAt = lineNo;
            current.chains.put(name, c);
        }
    }

    /** "[packets:bytes]" as iptables-save -c prints it (the pattern \\[\\d+:\\d+], without compiling it per line). */
    static boolean isCounters(String w) {
        int colon = w.indexOf(':');
        return colon > 0 && w.startsWith("[") && w.endsWith("]") && Text.isAsciiDigits(w.substring(1, colon))
                && Text.isAsciiDigits(w.substring(colon + 1, w.length() - 1));
    }

    private Verdict.Kind policyKind(int lineNo, String policy) {
        return switch (policy) {
            case "ACCEPT" -> Verdict.Kind.ACCEPT;
            case "DROP" -> Verdict.Kind.DROP;
            default -> throw new InputException(file, lineNo, "bad policy " + policy + " (ACCEPT or DROP)");
        };
    }

    private void checkChainName(int lineNo, String name) {
        if (name.length() > 28 || name.startsWith("-") || name.startsWith("!"))
            throw new InputException(file, lineNo, "bad chain name " + name);
        if (RuleCompiler.isTargetName(name))
            throw new InputException(file, lineNo, "chain name " + name + " is the name of a target");
    }

    private Chain chain(int lineNo, String name) {
        Chain c = current.chains.get(name);
        if (c == null)
            throw new InputException(file, lineNo, "chain " + name + " is not declared in table " + current.name);
        return c;
    }

    private void command(int lineNo, String line, String text) {
        List<String> words = Tokenizer.split(text, file, lineNo);
        int at = 0;
        if (words.get(0).startsWith("[")) {
            if (!isCounters(words.get(0))) throw new InputException(file, lineNo, "bad counters " + words.get(0));
            at = 1; // iptables-save -c prints [packets:bytes] before the rule
        }
        if (at >= words.size()) throw new InputException(file, lineNo, "counters without a rule");
        String cmd = words.get(at);
        String chainName = at + 1 < words.size() ? words.get(at + 1) : null;
        switch (cmd) {
            case "-A", "--append", "-I", "--insert" -> {
                if (chainName == null) throw new InputException(file, lineNo, cmd + " needs a chain");
                Chain chain = chain(lineNo, chainName);
                int from = at + 2;
                int position = chain.ruleList.size();
                if (cmd.equals("-I") || cmd.equals("--insert")) {
                    position = 0;
                    if (from < words.size() && Names.number(words.get(from)) >= 0) {
                        int n = Names.number(words.get(from));
                        if (n < 1 || n > chain.ruleList.size() + 1)
                            throw new InputException(file, lineNo, "index of insertion too big: " + n);
                        position = n - 1;
                        from++;
                    }
                }
                Source source = new Source(file, lineNo, line);
                RuleCompiler compiler = new RuleCompiler(file, lineNo, source, current, chain, words.subList(from, words.size()), sets);
                List<IptRule> rules = compiler.compile();
                problems.addAll(compiler.problems());
                chain.ruleList.addAll(position, rules);
            }
            case "-N", "--new-chain" -> {
                if (chainName == null) throw new InputException(file, lineNo, cmd + " needs a chain");
                if (current.chains.containsKey(chainName))
                    throw new InputException(file, lineNo, "chain " + chainName + " already exists");
                checkChainName(lineNo, chainName);
                Chain c = new Chain(current.name, chainName, false, null);
                c.declaredAt = lineNo;
                current.chains.put(chainName, c);
            }
            case "-P", "--policy" -> {
                if (chainName == null || at + 2 >= words.size()) throw new InputException(file, lineNo, "-P needs a chain and a policy");
                Chain c = chain(lineNo, chainName);
                if (!c.builtin) throw new InputException(file, lineNo, "user chain " + chainName + " cannot have a policy");
                c.policy = policyKind(lineNo, words.get(at + 2));
            }
            case "-F", "--flush" -> {
                if (chainName == null) {
                    for (Chain c : current.chains.values()) c.ruleList.clear();
                } else {
                    chain(lineNo, chainName).ruleList.clear();
                }
            }
            default -> throw new InputException(file, lineNo, "unsupported command " + cmd);
        }
    }

    private void commit() {
        checkLoops();
        for (Chain c : current.chains.values()) c.freeze(indexed, family);
        for (Hook h : Hook.values()) {
            Chain c = current.builtinByHook[h.ordinal()];
            current.mattersByHook[h.ordinal()] = c != null && c.matters();
        }
        tables.put(current.name, current);
        current = null;
    }

    /** iptables refuses a ruleset in which jumps and gotos form a loop; so do we. */
    private void checkLoops() {
        Map<Chain, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
        for (Chain c : current.chains.values()) visit(c, state, new ArrayList<>());
    }

    private void visit(Chain chain, Map<Chain, Integer> state, List<String> path) {
        Integer s = state.get(chain);
        if (s != null && s == 2) return;
        state.put(chain, 1);
        path.add(chain.name);
        for (IptRule rule : chain.ruleList) {
            Chain next = rule.target.chain;
            if (next == null) continue;
            Integer ns = state.get(next);
            if (ns != null && ns == 1) {
                throw new InputException(file, rule.source.line(), "chains form a loop: " + String.join(" -> ", path)
                        + " -> " + next.name);
            }
            visit(next, state, path);
        }
        path.remove(path.size() - 1);
        state.put(chain, 2);
    }
}
