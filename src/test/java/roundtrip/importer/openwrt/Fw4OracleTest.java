package roundtrip.importer.openwrt;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import roundtrip.model.Probe;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * firewall4 itself is the oracle of the OpenWrt translation: for each configuration of src/test/resources/fw4, every
 * probe (between every pair of the router's subnets, to and from the router, port forwards from outside and, by
 * reflection, from inside) must end the same with our translation of /etc/config/firewall as with the ruleset fw4
 * generated from it (fw4.json, as the kernel lists it), both run by the simulator. A probe our translation marks
 * uncertain (something it does not simulate, quoted at its UCI line) need not agree; every other one must, and
 * none may be certain on our side where fw4's ruleset makes it uncertain.
 */
class Fw4OracleTest {
    /** What one configuration gave. */
    record Counts(String fixture, int probes, int agree, int oursUncertain, int fw4Uncertain, List<String> disagreements) {}

    static Counts compare(Fw4Fixture f) {
        Simulator ours = new Simulator(f.network(false)), fw4 = new Simulator(f.network(true));
        int agree = 0, oursUncertain = 0, fw4Uncertain = 0;
        List<String> bad = new ArrayList<>();
        for (Probe p : f.probes) {
            ProbeResult a = ours.run(p, false), b = fw4.run(p, false);
            if (!a.certain()) oursUncertain++;
            if (!b.certain()) fw4Uncertain++;
            String x = Fw4Fixture.outcome(a), y = Fw4Fixture.outcome(b);
            if (!a.certain()) continue;
            if (!b.certain()) bad.add(p.id() + ": certain here (" + x + ") but uncertain with fw4's ruleset: " + b.uncertain());
            else if (!x.equals(y)) bad.add(p.id() + ": ours " + x + ", fw4 " + y);
            else agree++;
        }
        return new Counts(f.name, f.probes.size(), agree, oursUncertain, fw4Uncertain, bad);
    }

    /**
     * What fw4 warns about when it generated the fixture (fw4.warnings.txt: sections it skips, options it ignores) is
     * reported by our translation too, at the same section; only "is disabled" is not (the admin switched it off).
     */
    @TestFactory
    Stream<DynamicTest> fw4sWarningsAreReportedAtTheirSections() {
        return Fw4Fixture.all().stream().map(f -> DynamicTest.dynamicTest(f.name, () -> {
            List<String> ours = f.routerOurs.problems().stream().map(p -> p.source().text() + " " + p.message()).toList();
            for (String w : Fw4Fixture.read(f.dir.resolve("fw4.warnings.txt")).lines().toList()) {
                var m = java.util.regex.Pattern.compile("^\\[!\\] Section (\\S+)(?: \\(([^)]*)\\))? (.*)$").matcher(w);
                assertThat(m.matches()).as(w).isTrue();
                if (m.group(3).contains("is disabled")) continue;
                String section = m.group(1);
                assertThat(ours).as(f.name + ": " + w).anySatisfy(o -> assertThat(o).contains(" " + section + (m.group(2) != null ? " (" + m.group(2) + ")" : "")));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> ourTranslationGivesWhatFw4sRulesetGives() {
        return Fw4Fixture.all().stream().map(f -> DynamicTest.dynamicTest(f.name, () -> {
            Counts c = compare(f);
            System.out.printf("fw4 oracle %-10s %5d probes: %5d agree, %4d uncertain with our translation, %4d with fw4's ruleset%n",
                    c.fixture(), c.probes(), c.agree(), c.oursUncertain(), c.fw4Uncertain());
            assertThat(c.disagreements()).as(f.name).isEmpty();
            assertThat(c.agree() + c.oursUncertain()).isEqualTo(c.probes());
        }));
    }
}
