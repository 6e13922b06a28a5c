package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.model.InputException;
import roundtrip.model.Message;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.netfilter.nft.NftLexer.Kind;
import roundtrip.netfilter.nft.NftLexer.Token;
import roundtrip.netfilter.nft.NftTypes.Type;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads nftables text as {@code nft list ruleset} prints it and {@code nft -f} accepts it — table blocks of every
 * family, chains with `type ... hook ... priority ...; policy ...;`, sets and maps, objects, `define`d variables,
 * and the command forms (`add rule`, `insert rule`, `add element`, `flush ruleset`, `delete table`, ...) applied in
 * order — into the JSON items {@code nft -j list ruleset} would print for the resulting ruleset, which
 * {@link NftJsonReader} then evaluates. Each rule keeps its file:line and its text as written. A rule with
 * something not understood is kept with what was understood before it and reported; an `include` is reported and
 * leaves every verdict through the host uncertain, as the rules it would add are not known.
 */
public final class NftTextReader {
    private NftTextReader() {}

    private static final JsonNodeFactory J = JsonNodeFactory.instance;
    private static final Set<String> FAMILIES = Set.of("ip", "ip6", "inet", "arp", "bridge", "netdev");
    private static final Pattern HANDLE = Pattern.compile("(?:^|\\s)handle (\\d+)\\b");

    /** The items of the ruleset the text describes, and where each came from. */
    record Document(ArrayNode items, NftOrigins origins) {}

    /** Reads text whose line N is line N of {@code file}. @throws InputException when the text's structure is broken */
    public static NftRuleset parse(String file, String text) {
        return parse(file, text, n -> n, t -> false);
    }

    /**
     * Reads text whose line N is line {@code lineMap(N)} of {@code file} (text embedded in a YAML file), leaving out
     * the tables for which {@code skip} is true ("ip filter"), as {@link NftJsonReader#parse(String, String, Predicate)}.
     */
    public static NftRuleset parse(String file, String text, IntUnaryOperator lineMap, Predicate<String> skip) {
        Document d = read(file, text, lineMap);
        return NftJsonReader.read(file, d.items(), skip, d.origins());
    }

    /** The tables of the text that iptables-nft made, as {@link NftJsonReader#iptablesNftTables(String)}. */
    public static Set<String> iptablesNftTables(String file, String text) {
        return NftJsonReader.iptablesTables(read(file, text, n -> n).items());
    }

    static Document read(String file, String text, IntUnaryOperator lineMap) {
        NftLexer.Result lexed;
        try {
            lexed = NftLexer.lex(text);
        } catch (NftSyntax e) {
            throw new InputException(file, lineMap.applyAsInt(e.line), e.getMessage());
        }
        Reader r = new Reader(file, text, lexed, lineMap);
        r.run();
        return r.document();
    }

    // ---------------------------------------------------------------------------------------------- the ruleset being built

    private static final class Table {
        final String family, name;
        final ObjectNode json = J.objectNode();
        final Map<String, ObjectNode> sets = new LinkedHashMap<>();
        final Map<String, SetShape> shapes = new HashMap<>();
        final List<ObjectNode> objects = new ArrayList<>();
        final Map<String, Chain> chains = new LinkedHashMap<>();

        Table(String family, String name) {
            this.family = family;
            this.name = name;
            json.put("family", family).put("name", name);
        }
    }

    private static final class Chain {
        final ObjectNode json = J.objectNode();
        final List<ObjectNode> rules = new ArrayList<>();

        Chain(Table t, String name) {
            json.put("family", t.family).put("table", t.name).put("name", name);
        }
    }

    /** How a set's elements are typed: its key (a selector shape) and, for maps, its data. */
    private record SetShape(NftRuleParser.Expr key, Type[] data, boolean verdicts) {}

    private static final class Reader {
        final String file, text;
        final List<Token> toks;
        final Map<Integer, String> comments;
        final IntUnaryOperator lineMap;
        final NftOrigins origins = new NftOrigins();
        final Map<String, Table> tables = new LinkedHashMap<>();
        final Deque<Map<String, List<Token>>> scopes = new ArrayDeque<>();
        int p;
        /** where the statement being read starts, to quote a whole `add rule ...` command */
        int statementStart;

        Reader(String file, String text, NftLexer.Result lexed, IntUnaryOperator lineMap) {
            this.file = file;
            this.text = text;
            this.toks = new ArrayList<>(lexed.tokens());
            this.comments = lexed.comments();
            this.lineMap = lineMap;
            scopes.push(new HashMap<>());
        }

        Document document() {
            ArrayNode items = J.arrayNode();
            for (Table t : tables.values()) {
                items.addObject().set("table", t.json);
                for (ObjectNode s : t.sets.values()) items.addObject().set(s.has("map") ? "map" : "set", s);
                for (ObjectNode o : t.objects) items.add(o);
                for (Chain c : t.chains.values()) items.addObject().set("chain", c.json);
                for (Chain c : t.chains.values()) for (ObjectNode r : c.rules) items.addObject().set("rule", r);
            }
            return new Document(items, origins);
        }

        // ------------------------------------------------------------------------------------------ tokens

        Token peek() { return peek(0); }

        Token peek(int k) {
            expandVariables(p + k);
            return p + k < toks.size() ? toks.get(p + k) : toks.get(toks.size() - 1);
        }

        Token next() {
            Token t = peek();
            if (p < toks.size() - 1) p++;
            return t;
        }

        /** Replaces `$name` at and before {@code upTo} by the tokens of its definition (innermost scope first). */
        void expandVariables(int upTo) {
            for (int i = p; i <= upTo && i < toks.size() - 1; i++) {
                Token t = toks.get(i);
                if (!t.is("$")) continue;
                Token name = toks.get(i + 1);
                List<Token> value = lookup(name.text());
                if (value == null) throw new NftSyntax(t.line(), "unknown variable $" + name.text() + " (nft -f refuses the whole file too)");
                toks.remove(i);
                toks.remove(i);
                List<Token> moved = new ArrayList<>();
                for (Token v : value) moved.add(new Token(v.kind(), v.text(), t.line(), t.start(), name.end()));
                toks.addAll(i, moved);
                i--;
            }
        }

        List<Token> lookup(String name) {
            for (Map<String, List<Token>> scope : scopes) {
                List<Token> v = scope.get(name);
                if (v != null) return v;
            }
            return null;
        }

        boolean accept(String s) {
            if (peek().is(s)) { next(); return true; }
            return false;
        }

        void expect(String s) {
            if (!accept(s)) throw new NftSyntax(peek().line(), "expected \"" + s + "\" but found " + describe(peek()));
        }

        String name(String what) {
            Token t = next();
            if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED) throw new NftSyntax(t.line(), "expected " + what + " but found " + describe(t));
            return t.text();
        }

        static String describe(Token t) {
            return t.kind() == Kind.EOF ? "the end of the text" : "\"" + t + "\"";
        }

        boolean atSeparator() { return peek().kind() == Kind.NEWLINE || peek().is(";"); }

        void skipSeparators() {
            while (atSeparator()) next();
        }

        /** The tokens up to the end of the statement (a newline or ';' outside braces, or the block's '}'). */
        List<Token> statementTokens() {
            List<Token> out = new ArrayList<>();
            int depth = 0;
            while (true) {
                Token t = peek();
                if (t.kind() == Kind.EOF) break;
                if (depth == 0 && (t.kind() == Kind.NEWLINE || t.is(";") || t.is("}"))) break;
                if (t.is("{")) depth++;
                if (t.is("}")) depth--;
                out.add(next());
            }
            return out;
        }

        void endStatement() {
            if (peek().kind() == Kind.EOF || peek().is("}")) return;
            if (!atSeparator()) throw new NftSyntax(peek().line(), "not understood: " + describe(peek()));
            next();
        }

        int line(Token t) { return lineMap.applyAsInt(t.line()); }

        String textOf(List<Token> ts) {
            if (ts.isEmpty()) return "";
            String raw = text.substring(ts.get(0).start(), ts.get(ts.size() - 1).end());
            return raw.replaceAll("\\s*\\\\\\r?\\n\\s*", " ").replaceAll("\\s*\\n\\s*", " ").strip();
        }

        Source source(List<Token> ts) {
            return new Source(file, ts.isEmpty() ? 0 : line(ts.get(0)), textOf(ts));
        }

        void problem(List<Token> ts, Message message) {
            origins.problems.add(new Problem(source(ts), message));
        }

        // ------------------------------------------------------------------------------------------ statements

        void run() {
            try {
                while (peek().kind() != Kind.EOF) {
                    skipSeparators();
                    if (peek().kind() == Kind.EOF) break;
                    topLevel();
                }
            } catch (NftSyntax e) {
                throw new InputException(file, lineMap.applyAsInt(e.line), e.getMessage());
            }
        }

        void topLevel() {
            Token t = peek();
            statementStart = p;
            if (t.kind() != Kind.WORD) {
                skipUnknown(Message.of(Sentences.STATEMENT_NOT_UNDERSTOOD, describe(t)));
                return;
            }
            switch (t.text()) {
                case "include" -> include();
                case "define", "redefine", "undefine" -> define();
                case "add", "create" -> {
                    next();
                    addCommand(false);
                }
                case "insert" -> {
                    next();
                    if (!peek().is("rule")) throw new NftSyntax(peek().line(), "expected \"insert rule\"");
                    next();
                    ruleCommand(t, true);
                }
                case "replace" -> skipUnknown(Message.of(Sentences.REPLACE_NOT_APPLIED));
                case "delete", "destroy" -> {
                    next();
                    deleteCommand(t);
                }
                case "flush" -> {
                    next();
                    flushCommand(t);
                }
                case "rename" -> {
                    next();
                    renameCommand(t);
                }
                case "list", "reset", "monitor", "describe", "export", "import", "get" -> statementTokens();   // reads only
                default -> addCommand(true);
            }
            endStatement();
        }

        void skipUnknown(Message message) {
            List<Token> ts = statementTokens();
            Problem p = new Problem(source(ts), message);
            origins.problems.add(p);
            origins.everywhere.add(p);
        }

        void include() {
            Token t = next();
            String target = name("a file name");
            Problem p = new Problem(new Source(file, line(t), "include \"" + target + "\""), Message.of(Sentences.INCLUDE_NOT_FOLLOWED, target));
            origins.problems.add(p);
            origins.everywhere.add(p);
        }

        void define() {
            String kind = next().text();
            String var = name("a variable name");
            if (kind.equals("undefine")) {
                scopes.peek().remove(var);
                return;
            }
            expect("=");
            // the value's own variables are replaced now, as nft binds the value when it is defined
            List<Token> value = statementTokens();
            if (value.isEmpty()) throw new NftSyntax(peek().line(), "define " + var + " without a value");
            scopes.peek().put(var, List.copyOf(value));
        }

        String family() {
            if (peek().kind() == Kind.WORD && FAMILIES.contains(peek().text()) && peek(1).kind() != Kind.NEWLINE
                    && !peek(1).is("{") && !peek(1).is(";") && peek(1).kind() != Kind.EOF)
                return next().text();
            return "ip";
        }

        Table table(String family, String name) {
            return tables.computeIfAbsent(family + " " + name, k -> new Table(family, name));
        }

        Table existingTable(Token at, String family, String name) {
            Table t = tables.get(family + " " + name);
            if (t == null) throw new NftSyntax(at.line(), "table " + family + " " + name + " is not declared before");
            return t;
        }

        void addCommand(boolean bare) {
            Token t = peek();
            String what = next().text();
            switch (what) {
                case "table" -> {
                    String family = family();
                    Table table = table(family, name("a table name"));
                    if (accept("{")) {
                        tableBlock(table);
                        expect("}");
                    }
                }
                case "chain" -> {
                    String family = family();
                    Table table = existingTable(t, family, name("a table name"));
                    Chain c = chain(table, peek(), name("a chain name"));
                    if (accept("{")) {
                        chainBlock(table, c);
                        expect("}");
                    }
                }
                case "rule" -> ruleCommand(t, false);
                case "set", "map" -> {
                    String family = family();
                    Table table = existingTable(t, family, name("a table name"));
                    String name = name("a set name");
                    expect("{");
                    setBlock(table, name, what.equals("map"));
                    expect("}");
                }
                case "element" -> {
                    String family = family();
                    Table table = existingTable(t, family, name("a table name"));
                    String set = name("a set name");
                    addElements(table, set, t);
                }
                case "counter", "quota", "limit", "flowtable", "secmark", "synproxy" -> {
                    String family = family();
                    Table table = existingTable(t, family, name("a table name"));
                    object(table, what, name("a name"), t);
                }
                case "ct" -> {
                    String kind = "ct " + name("helper, timeout or expectation");
                    String family = family();
                    Table table = existingTable(t, family, name("a table name"));
                    object(table, kind, name("a name"), t);
                }
                default -> {
                    p--;
                    skipUnknown(Message.of(bare ? Sentences.COMMAND_NOT_UNDERSTOOD
                            : Sentences.ADD_NOT_UNDERSTOOD, what));
                }
            }
        }

        /** `add rule [family] table chain [position|index|handle N] STATEMENTS` (or insert). */
        void ruleCommand(Token start, boolean insert) {
            if (peek().is("rule")) next();
            String family = family();
            Table table = existingTable(start, family, name("a table name"));
            Token chainTok = peek();
            String chainName = name("a chain name");
            Chain chain = table.chains.get(chainName);
            if (chain == null) throw new NftSyntax(chainTok.line(), "chain " + chainName + " is not declared in table " + family + " " + table.name);
            Integer handle = null;
            boolean index = false;
            if (peek().is("position") || peek().is("handle") || peek().is("index")) {
                index = next().text().equals("index");
                Token n = next();
                Long v = NftTypes.number(n.text());
                if (v == null) throw new NftSyntax(n.line(), "expected a number after position/index/handle");
                handle = v.intValue();
            }
            List<Token> body = statementTokens();
            List<Token> whole = new ArrayList<>();
            for (int i = statementStart; i < p && i < toks.size(); i++) {
                Token x = toks.get(i);
                if (x.kind() != Kind.NEWLINE) whole.add(x);
            }
            ObjectNode rule = rule(table, chain, body, whole.isEmpty() ? body : whole);
            int at = insert ? 0 : chain.rules.size();
            if (handle != null) {
                int found = -1;
                if (index) found = handle < chain.rules.size() ? handle : -1;
                else for (int i = 0; i < chain.rules.size(); i++) if (chain.rules.get(i).path("handle").asInt(-1) == handle) found = i;
                if (found < 0) {
                    problem(whole.isEmpty() ? body : whole, Message.of(index
                            ? (insert ? Sentences.INDEX_UNKNOWN_PUT_FIRST : Sentences.INDEX_UNKNOWN_PUT_LAST)
                            : (insert ? Sentences.HANDLE_UNKNOWN_PUT_FIRST : Sentences.HANDLE_UNKNOWN_PUT_LAST), handle, chainName));
                } else {
                    at = insert ? found : found + 1;
                }
            }
            chain.rules.add(at, rule);
        }

        void deleteCommand(Token start) {
            String what = name("what to delete");
            switch (what) {
                case "table" -> {
                    String family = family();
                    tables.remove(family + " " + name("a table name"));
                }
                case "chain" -> {
                    String family = family();
                    Table t = tables.get(family + " " + name("a table name"));
                    String chain = name("a chain name");
                    if (t != null) t.chains.remove(chain);
                }
                case "rule" -> {
                    String family = family();
                    Table t = tables.get(family + " " + name("a table name"));
                    String chain = name("a chain name");
                    expect("handle");
                    Long h = NftTypes.number(name("a handle"));
                    Chain c = t == null ? null : t.chains.get(chain);
                    boolean removed = c != null && h != null && c.rules.removeIf(r -> r.path("handle").asLong(-1) == h);
                    if (!removed) skipUnknownAt(start, Message.of(Sentences.DELETE_HANDLE_UNKNOWN, h));
                }
                case "set", "map" -> {
                    String family = family();
                    Table t = tables.get(family + " " + name("a table name"));
                    String set = name("a set name");
                    if (t != null) t.sets.remove(set);
                }
                case "element" -> {
                    String family = family();
                    Table t = existingTable(start, family, name("a table name"));
                    String set = name("a set name");
                    deleteElements(t, set, start);
                }
                default -> {
                    List<Token> ts = statementTokens();
                    problem(ts, Message.of(Sentences.DELETE_NOT_APPLIED, what));
                }
            }
        }

        void skipUnknownAt(Token start, Message message) {
            Problem pr = new Problem(new Source(file, line(start), start.text() + " ..."), message);
            origins.problems.add(pr);
            origins.everywhere.add(pr);
        }

        void flushCommand(Token start) {
            String what = name("what to flush");
            switch (what) {
                case "ruleset" -> {
                    if (peek().kind() == Kind.WORD && FAMILIES.contains(peek().text())) {
                        String family = next().text();
                        tables.values().removeIf(t -> t.family.equals(family));
                    } else {
                        tables.clear();
                    }
                }
                case "table" -> {
                    String family = family();
                    Table t = tables.get(family + " " + name("a table name"));
                    if (t != null) for (Chain c : t.chains.values()) c.rules.clear();
                }
                case "chain" -> {
                    String family = family();
                    Table t = tables.get(family + " " + name("a table name"));
                    String chain = name("a chain name");
                    Chain c = t == null ? null : t.chains.get(chain);
                    if (c != null) c.rules.clear();
                }
                case "set", "map", "meter" -> {
                    String family = family();
                    Table t = tables.get(family + " " + name("a table name"));
                    String set = name("a set name");
                    ObjectNode s = t == null ? null : t.sets.get(set);
                    if (s != null) s.remove("elem");
                }
                default -> statementTokens();
            }
        }

        void renameCommand(Token start) {
            if (!accept("chain")) throw new NftSyntax(start.line(), "only chains can be renamed");
            String family = family();
            Table t = existingTable(start, family, name("a table name"));
            String from = name("a chain name"), to = name("a new chain name");
            Chain c = t.chains.remove(from);
            if (c == null) throw new NftSyntax(start.line(), "chain " + from + " is not declared in table " + family + " " + t.name);
            c.json.put("name", to);
            for (ObjectNode r : c.rules) r.put("chain", to);
            t.chains.put(to, c);
        }

        // ------------------------------------------------------------------------------------------ blocks

        void tableBlock(Table t) {
            scopes.push(new HashMap<>());
            try {
                while (true) {
                    skipSeparators();
                    Token k = peek();
                    if (k.is("}") || k.kind() == Kind.EOF) return;
                    if (k.kind() != Kind.WORD) {
                        skipUnknown(Message.of(Sentences.NOT_UNDERSTOOD_IN_TABLE, t.family + " " + t.name, describe(k)));
                        continue;
                    }
                    try {
                        tableStatement(t, k);
                    } catch (NftSyntax e) {
                        // what cannot be read is left out and said; what it would declare may matter to any packet
                        Problem pr = new Problem(new Source(file, lineMap.applyAsInt(e.line), "table " + t.family + " " + t.name),
                                Message.of(Sentences.TABLE_PART_NOT_UNDERSTOOD, e.getMessage()));
                        origins.problems.add(pr);
                        origins.everywhere.add(pr);
                        skipToBlockEnd(k);
                        continue;
                    }
                    endStatement();
                }
            } finally {
                scopes.pop();
            }
        }

        /**
         * After a statement that could not be read: skips what is left of it, up to the end of the statement that
         * began at {@code start} (its own braces included), leaving the enclosing block's '}' in place.
         */
        void skipToBlockEnd(Token start) {
            int depth = 0;
            for (int i = toks.indexOf(start); i >= 0 && i < p; i++) {
                if (toks.get(i).is("{")) depth++;
                if (toks.get(i).is("}")) depth--;
            }
            while (peek().kind() != Kind.EOF) {
                Token t = peek();
                if (depth == 0 && (t.is("}") || t.kind() == Kind.NEWLINE || t.is(";"))) break;
                if (t.is("{")) depth++;
                if (t.is("}")) depth--;
                next();
            }
        }

        /** One statement of a table block: a chain, set, map or object, the table's flags or comment, a define. */
        void tableStatement(Table t, Token k) {
            switch (k.text()) {
                case "chain" -> {
                    next();
                    Token nameTok = peek();
                    Chain c = chain(t, nameTok, name("a chain name"));
                    expect("{");
                    chainBlock(t, c);
                    expect("}");
                }
                case "set", "map" -> {
                    next();
                    String name = name("a set name");
                    expect("{");
                    setBlock(t, name, k.text().equals("map"));
                    expect("}");
                }
                case "counter", "quota", "limit", "flowtable", "secmark", "synproxy" -> {
                    next();
                    object(t, k.text(), name("a name"), k);
                }
                case "ct" -> {
                    next();
                    String kind = "ct " + name("helper, timeout or expectation");
                    object(t, kind, name("a name"), k);
                }
                case "flags" -> {
                    next();
                    ArrayNode flags = J.arrayNode();
                    do flags.add(name("a table flag")); while (accept(","));
                    t.json.set("flags", flags.size() == 1 ? flags.get(0) : flags);
                }
                case "comment" -> {
                    next();
                    t.json.put("comment", name("a comment"));
                }
                case "define", "redefine", "undefine" -> define();
                default -> skipUnknown(Message.of(Sentences.NOT_UNDERSTOOD_IN_TABLE, t.family + " " + t.name, describe(k)));
            }
        }

        Chain chain(Table t, Token at, String name) {
            Chain c = t.chains.get(name);
            if (c == null) {
                c = new Chain(t, name);
                t.chains.put(name, c);
                Integer handle = handleOnLine(at.line());
                if (handle != null) c.json.put("handle", handle);
                origins.sources.put(c.json, new Source(file, line(at), "table " + t.family + " " + t.name + " chain " + name));
            }
            return c;
        }

        Integer handleOnLine(int line) {
            String comment = comments.get(line);
            if (comment == null) return null;
            Matcher m = HANDLE.matcher(comment);
            return m.find() ? Integer.valueOf(m.group(1)) : null;
        }

        void chainBlock(Table t, Chain c) {
            scopes.push(new HashMap<>());
            try {
                while (true) {
                    skipSeparators();
                    Token k = peek();
                    if (k.is("}") || k.kind() == Kind.EOF) return;
                    if (k.is("type") && peek(1).kind() == Kind.WORD) {
                        try {
                            hookSpec(t, c);
                        } catch (NftSyntax e) {
                            Problem pr = new Problem(new Source(file, lineMap.applyAsInt(e.line), "table " + t.family + " " + t.name
                                    + " chain " + c.json.path("name").asText()), Message.of(Sentences.CHAIN_SPEC_NOT_UNDERSTOOD, e.getMessage()));
                            origins.problems.add(pr);
                            origins.everywhere.add(pr);
                            skipToBlockEnd(k);
                        }
                    } else if (k.is("policy")) {
                        next();
                        String policy = name("accept or drop");
                        if (!policy.equals("accept") && !policy.equals("drop"))
                            throw new NftSyntax(k.line(), "chain policy \"" + policy + "\" is neither accept nor drop");
                        c.json.put("policy", policy);
                    } else if (k.is("comment") && peek(1).kind() == Kind.QUOTED) {
                        next();
                        c.json.put("comment", name("a comment"));
                    } else if (k.is("devices") && peek(1).is("=")) {
                        next();
                        next();
                        c.json.set("dev", devices());
                    } else if (k.is("flags") && peek(1).is("offload")) {
                        next();
                        next();
                    } else if (k.is("define") || k.is("redefine") || k.is("undefine")) {
                        define();
                    } else {
                        List<Token> ts = statementTokens();
                        if (!ts.isEmpty()) c.rules.add(rule(t, c, ts, ts));
                        continue;
                    }
                    endStatement();
                }
            } finally {
                scopes.pop();
            }
        }

        /** `type filter hook input [device eth0] priority filter + 10` */
        void hookSpec(Table t, Chain c) {
            next();
            String type = name("a chain type");
            expect("hook");
            String hook = name("a hook");
            if (accept("device")) {
                c.json.put("dev", name("a device"));
            } else if (peek().is("devices") && peek(1).is("=")) {
                next();
                next();
                c.json.set("dev", devices());
            }
            Token prioTok = peek();
            expect("priority");
            int prio = priority(t.family, hook, prioTok);
            c.json.put("type", type).put("hook", hook).put("prio", prio);
            if (!c.json.has("policy")) c.json.put("policy", "accept");
        }

        JsonNode devices() {
            ArrayNode devs = J.arrayNode();
            if (accept("{")) {
                while (true) {
                    skipSeparators();
                    if (accept("}")) break;
                    devs.add(name("a device"));
                    skipSeparators();
                    if (!accept(",")) {
                        skipSeparators();
                        expect("}");
                        break;
                    }
                }
            } else {
                devs.add(name("a device"));
            }
            return devs.size() == 1 ? devs.get(0) : devs;
        }

        /** A number, or a standard priority name (rule.c std_prios) with an optional `+ N` / `- N`. */
        int priority(String family, String hook, Token at) {
            boolean negative = accept("-");
            Token t = next();
            Long n = NftTypes.number(t.text());
            if (n != null) return (int) (negative ? -n : n);
            if (negative) throw new NftSyntax(t.line(), "expected a priority after \"-\"");
            Integer base = standardPriority(family, t.text());
            if (base == null) throw new NftSyntax(t.line(), "\"" + t.text() + "\" is not a priority of family " + family);
            if (peek().is("+") || peek().is("-")) {
                boolean plus = next().text().equals("+");
                Long off = NftTypes.number(next().text());
                if (off == null) throw new NftSyntax(t.line(), "expected a number in priority " + t.text() + (plus ? " + " : " - ") + "N");
                return (int) (plus ? base + off : base - off);
            }
            return base;
        }

        static Integer standardPriority(String family, String name) {
            if (family.equals("bridge")) {
                return switch (name) {
                    case "dstnat" -> -300;
                    case "filter" -> -200;
                    case "out" -> 100;
                    case "srcnat" -> 300;
                    default -> null;
                };
            }
            return switch (name) {
                case "raw" -> -300;
                case "mangle" -> -150;
                case "dstnat" -> -100;
                case "filter" -> 0;
                case "security" -> 50;
                case "srcnat" -> 100;
                default -> null;
            };
        }

        /** One rule of a chain: its JSON, its text and line; what is not understood becomes the rule's problem. */
        ObjectNode rule(Table t, Chain c, List<Token> body, List<Token> quoted) {
            NftRuleParser.Result parsed = NftRuleParser.parse(body, t.family);
            ObjectNode r = J.objectNode();
            r.put("family", t.family).put("table", t.name).put("chain", c.json.path("name").asText());
            Integer handle = quoted.isEmpty() ? null : handleOnLine(quoted.get(quoted.size() - 1).line());
            if (handle != null) r.put("handle", handle);
            if (parsed.comment() != null) r.put("comment", parsed.comment());
            r.set("expr", parsed.expr());
            Source source = source(quoted);
            origins.sources.put(r, source);
            if (parsed.failure() != null) {
                Problem problem = new Problem(new Source(file, lineMap.applyAsInt(parsed.failure().line), source.text()),
                        Message.of(Sentences.RULE_NOT_UNDERSTOOD, parsed.failure().getMessage()));
                origins.ruleProblems.put(r, problem);
            }
            return r;
        }

        // ------------------------------------------------------------------------------------------ sets and objects

        void setBlock(Table t, String name, boolean map) {
            ObjectNode s = t.sets.get(name);
            if (s == null) {
                s = J.objectNode();
                s.put("family", t.family).put("name", name).put("table", t.name);
                t.sets.put(name, s);
            }
            List<Token> elementTokens = null;
            Token elementsAt = null;
            while (true) {
                skipSeparators();
                Token k = peek();
                if (k.is("}") || k.kind() == Kind.EOF) break;
                String w = k.text();
                next();
                switch (w) {
                    case "type" -> setType(t, s, name, false);
                    case "typeof" -> setType(t, s, name, true);
                    case "flags" -> {
                        ArrayNode flags = J.arrayNode();
                        do flags.add(name("a set flag")); while (accept(","));
                        s.set("flags", flags);
                    }
                    case "timeout" -> s.put("timeout", seconds(name("a timeout"), k));
                    case "gc-interval" -> s.put("gc-interval", seconds(name("an interval"), k));
                    case "size" -> s.put("size", NftTypes.number(name("a size")));
                    case "policy" -> s.put("policy", name("performance or memory"));
                    case "auto-merge" -> s.put("auto-merge", true);
                    case "comment" -> s.put("comment", name("a comment"));
                    case "counter", "quota", "limit", "last" -> {
                        p--;
                        List<Token> ts = statementTokens();
                        NftRuleParser.Result stmt = NftRuleParser.parse(ts, t.family);
                        if (stmt.failure() != null) problem(ts, Message.of(Sentences.NOT_UNDERSTOOD_IN_SET, name, stmt.failure().getMessage()));
                        else s.set("stmt", stmt.expr());
                    }
                    case "elements" -> {
                        expect("=");
                        elementsAt = peek();
                        elementTokens = braceTokens();
                    }
                    case "define", "redefine", "undefine" -> {
                        p--;
                        define();
                    }
                    default -> {
                        p--;
                        List<Token> ts = statementTokens();
                        problem(ts, Message.of(Sentences.SET_WORD_IGNORED, name, w));
                    }
                }
                endStatement();
            }
            if (elementTokens != null) {
                SetShape shape = t.shapes.get(name);
                if (shape == null) throw new NftSyntax(elementsAt.line(), "set " + name + " has elements but no type");
                try {
                    s.set("elem", NftRuleParser.elements(elementTokens, shape.key(), shape.data(), shape.verdicts(), t.family));
                } catch (NftSyntax e) {
                    Problem pr = new Problem(new Source(file, lineMap.applyAsInt(e.line), "set " + name), Message.of(Sentences.SET_ELEMENTS_NOT_UNDERSTOOD, e.getMessage()));
                    origins.problems.add(pr);
                    origins.everywhere.add(pr);
                }
            }
        }

        /** The tokens of a `{ ... }` block including its braces. */
        List<Token> braceTokens() {
            List<Token> out = new ArrayList<>();
            if (!peek().is("{")) throw new NftSyntax(peek().line(), "expected \"{\" but found " + describe(peek()));
            int depth = 0;
            do {
                Token t = next();
                if (t.kind() == Kind.EOF) throw new NftSyntax(t.line(), "a block opened with { is not closed");
                if (t.is("{")) depth++;
                if (t.is("}")) depth--;
                out.add(t);
            } while (depth > 0);
            return out;
        }

        long seconds(String t, Token at) {
            Long ms = NftTypes.timeMillis(t);
            if (ms == null) throw new NftSyntax(at.line(), "\"" + t + "\" is not a time");
            return ms / 1000;
        }

        /** `type ipv4_addr . inet_service [: DATA]` or `typeof ip saddr [: meta mark]` */
        void setType(Table t, ObjectNode s, String name, boolean typeofForm) {
            List<Token> ts = new ArrayList<>();
            while (!atSeparator() && !peek().is("}") && peek().kind() != Kind.EOF) ts.add(next());
            int colon = -1;
            for (int i = 0; i < ts.size(); i++) if (ts.get(i).is(":")) colon = i;
            List<Token> keyToks = colon < 0 ? ts : ts.subList(0, colon);
            List<Token> dataToks = colon < 0 ? List.of() : ts.subList(colon + 1, ts.size());
            if (!dataToks.isEmpty() && dataToks.get(0).is("interval")) dataToks = dataToks.subList(1, dataToks.size());
            NftRuleParser.Expr key;
            if (typeofForm) {
                key = NftRuleParser.typeofExpr(keyToks, t.family);
                s.putObject("type").set("typeof", key.json());
            } else {
                List<Type> types = typeNames(keyToks);
                key = types.size() == 1 ? new NftRuleParser.Expr(null, types.get(0)) : new NftRuleParser.Expr(null, null, types);
                if (types.size() == 1) s.put("type", keyToks.get(0).text());
                else {
                    ArrayNode a = s.putArray("type");
                    for (Token x : keyToks) if (!x.is(".")) a.add(x.text());
                }
            }
            Type[] data = null;
            boolean verdicts = false;
            String object = objectType(dataToks);
            if (!dataToks.isEmpty()) {
                if (dataToks.size() == 1 && dataToks.get(0).is("verdict")) {
                    verdicts = true;
                    s.put("map", "verdict");
                } else if (dataToks.size() == 1 && dataToks.get(0).is("queue")) {
                    data = new Type[] {Type.INTEGER};   // queue numbers
                    s.put("map", "queue");
                } else if (object != null) {
                    // a map to stateful objects, its data their names
                    data = new Type[] {Type.STRING};
                    s.put("map", object);
                } else if (typeofForm) {
                    NftRuleParser.Expr d = NftRuleParser.typeofExpr(dataToks, t.family);
                    data = d.parts() != null ? d.parts().toArray(new Type[0]) : new Type[] {d.type()};
                    s.put("map", String.join(" . ", names(data)));
                } else {
                    List<Type> types = typeNames(dataToks);
                    data = types.toArray(new Type[0]);
                    s.put("map", String.join(" . ", names(data)));
                }
            }
            t.shapes.put(name, new SetShape(key, data, verdicts));
        }

        /** The object a map's data names (`: limit`, `: ct helper`), or null for a value type. */
        static String objectType(List<Token> ts) {
            String joined = String.join(" ", ts.stream().map(Token::text).toList());
            return switch (joined) {
                case "counter", "quota", "limit", "secmark", "synproxy", "ct helper", "ct timeout", "ct expectation" -> joined;
                case "queue" -> null;
                default -> null;
            };
        }

        static List<String> names(Type[] types) {
            List<String> out = new ArrayList<>();
            for (Type x : types) out.add(x.nftName.isEmpty() ? "integer" : x.nftName);
            return out;
        }

        List<Type> typeNames(List<Token> ts) {
            List<Type> out = new ArrayList<>();
            for (int i = 0; i < ts.size(); i++) {
                Token x = ts.get(i);
                if (i % 2 == 1) {
                    if (!x.is(".")) throw new NftSyntax(x.line(), "expected \".\" between types but found " + describe(x));
                    continue;
                }
                Type type = NftTypes.byName(x.text());
                if (type == null) throw new NftSyntax(x.line(), "\"" + x.text() + "\" is not a data type nft knows");
                out.add(type);
            }
            if (out.isEmpty()) throw new NftSyntax(peek().line(), "a set type is missing");
            return out;
        }

        void addElements(Table t, String set, Token at) {
            List<Token> ts = braceTokens();
            ObjectNode s = t.sets.get(set);
            SetShape shape = t.shapes.get(set);
            if (s == null || shape == null) throw new NftSyntax(at.line(), "set " + set + " is not declared in table " + t.family + " " + t.name);
            try {
                ArrayNode elems = NftRuleParser.elements(ts, shape.key(), shape.data(), shape.verdicts(), t.family);
                ArrayNode into = s.has("elem") ? (ArrayNode) s.get("elem") : s.putArray("elem");
                into.addAll(elems);
            } catch (NftSyntax e) {
                Problem pr = new Problem(new Source(file, lineMap.applyAsInt(e.line), "add element " + t.family + " " + t.name + " " + set),
                        Message.of(Sentences.ADDED_ELEMENTS_NOT_UNDERSTOOD, e.getMessage()));
                origins.problems.add(pr);
                origins.everywhere.add(pr);
            }
        }

        void deleteElements(Table t, String set, Token at) {
            List<Token> ts = braceTokens();
            ObjectNode s = t.sets.get(set);
            SetShape shape = t.shapes.get(set);
            if (s == null || shape == null) throw new NftSyntax(at.line(), "set " + set + " is not declared in table " + t.family + " " + t.name);
            ArrayNode gone = NftRuleParser.elements(ts, shape.key(), shape.data(), shape.verdicts(), t.family);
            JsonNode elems = s.get("elem");
            if (elems == null) return;
            for (Iterator<JsonNode> it = elems.elements(); it.hasNext(); ) {
                JsonNode e = it.next();
                JsonNode key = e.isArray() ? e.get(0) : e;
                for (JsonNode g : gone) if ((g.isArray() ? g.get(0) : g).equals(key)) { it.remove(); break; }
            }
        }

        /** counter/quota/limit/ct helper/flowtable NAME [{ ... }]: the objects nft -j lists; the others are skipped. */
        void object(Table t, String kind, String name, Token at) {
            ObjectNode o = J.objectNode();
            o.put("family", t.family).put("name", name).put("table", t.name);
            if (!accept("{")) {
                if (kind.equals("counter")) o.put("packets", 0).put("bytes", 0);
                t.objects.add(wrap(kind, o));
                return;
            }
            List<Token> body = new ArrayList<>();
            int depth = 1;
            while (true) {
                Token x = next();
                if (x.kind() == Kind.EOF) throw new NftSyntax(x.line(), kind + " " + name + ": a block opened with { is not closed");
                if (x.is("{")) depth++;
                if (x.is("}") && --depth == 0) break;
                body.add(x);
            }
            List<Token> words = new ArrayList<>();
            for (int i = 0; i < body.size(); i++) {
                Token x = body.get(i);
                if (x.kind() == Kind.NEWLINE || x.is(";")) continue;
                if (x.is("comment") && i + 1 < body.size() && body.get(i + 1).kind() == Kind.QUOTED) {
                    o.put("comment", body.get(++i).text());
                    continue;
                }
                words.add(x);
            }
            switch (kind) {
                case "counter" -> {
                    o.put("packets", valueAfter(words, "packets", 0));
                    o.put("bytes", valueAfter(words, "bytes", 0));
                }
                case "quota" -> {
                    NftRuleParser.Result q = NftRuleParser.parse(prepend("quota", words, at), t.family);
                    if (q.failure() == null) {
                        JsonNode v = q.expr().get(0).get("quota");
                        o.put("bytes", v.path("val").asLong() * unit(v.path("val_unit").asText()));
                        o.put("used", v.path("used").asLong() * unit(v.path("used_unit").asText("bytes")));
                        o.put("inv", v.path("inv").asBoolean(false));
                    }
                }
                case "limit" -> {
                    NftRuleParser.Result l = NftRuleParser.parse(prepend("limit", words, at), t.family);
                    if (l.failure() == null) o.setAll((ObjectNode) l.expr().get(0).get("limit"));
                }
                case "ct helper" -> {
                    for (int i = 0; i + 1 < words.size(); i++) {
                        String w = words.get(i).text();
                        if (w.equals("type")) o.put("type", words.get(i + 1).text());
                        if (w.equals("protocol")) o.put("protocol", words.get(i + 1).text());
                        if (w.equals("l3proto")) o.put("l3proto", words.get(i + 1).text());
                    }
                    if (!o.has("l3proto")) o.put("l3proto", t.family);
                }
                case "flowtable" -> {
                    for (int i = 0; i + 1 < words.size(); i++) {
                        String w = words.get(i).text();
                        if (w.equals("hook")) o.put("hook", words.get(i + 1).text());
                        if (w.equals("priority")) {
                            boolean negative = words.get(i + 1).is("-");
                            Token prioTok = words.get(i + (negative ? 2 : 1));
                            Long n = NftTypes.number(prioTok.text());
                            Integer std = standardPriority(t.family, prioTok.text());
                            int prio = n != null ? (int) (negative ? -n : n) : std != null ? std : 0;
                            int j = i + (negative ? 3 : 2);
                            if (std != null && j + 1 < words.size() && (words.get(j).is("+") || words.get(j).is("-"))) {
                                Long off = NftTypes.number(words.get(j + 1).text());
                                if (off != null) prio += words.get(j).is("+") ? off : -off;
                            }
                            o.put("prio", prio);
                        }
                    }
                    ArrayNode devs = J.arrayNode();
                    boolean inDevices = false;
                    for (Token x : words) {
                        if (x.is("devices")) inDevices = true;
                        else if (inDevices && x.is("}")) inDevices = false;
                        else if (inDevices && (x.kind() == Kind.WORD || x.kind() == Kind.QUOTED) && !x.is("=")) devs.add(x.text());
                    }
                    if (!devs.isEmpty()) o.set("dev", devs.size() == 1 ? devs.get(0) : devs);
                }
                default -> {
                    return;   // ct timeout/expectation, secmark, synproxy objects: nothing a verdict depends on by itself
                }
            }
            t.objects.add(wrap(kind, o));
        }

        static long unit(String u) {
            return switch (u) {
                case "kbytes" -> 1024L;
                case "mbytes" -> 1024L * 1024;
                default -> 1L;
            };
        }

        static List<Token> prepend(String word, List<Token> ts, Token at) {
            List<Token> out = new ArrayList<>();
            out.add(new Token(Kind.WORD, word, at.line(), at.start(), at.end()));
            if (word.equals("limit") && !(ts.size() > 0 && ts.get(0).is("rate"))) out.add(new Token(Kind.WORD, "rate", at.line(), at.start(), at.end()));
            out.addAll(ts);
            return out;
        }

        static long valueAfter(List<Token> ts, String key, long dflt) {
            for (int i = 0; i + 1 < ts.size(); i++)
                if (ts.get(i).is(key)) {
                    Long n = NftTypes.number(ts.get(i + 1).text());
                    if (n != null) return n;
                }
            return dflt;
        }

        static ObjectNode wrap(String kind, ObjectNode body) {
            ObjectNode o = J.objectNode();
            o.set(kind, body);
            return o;
        }
    }
}
