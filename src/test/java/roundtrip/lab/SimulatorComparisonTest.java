package roundtrip.lab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatorComparisonTest {
    private static final List<ProbeResult> REAL = List.of(
            new ProbeResult("ssh", true, "ROUND_TRIP_OK", false, null, "{}"),
            new ProbeResult("ping", true, "REPLY_LOST", null, null, "{}"));

    @Test
    void agreementGivesNoMismatch() throws Exception {
        String out = """
                [{"id":"ssh","verdict":"ROUND_TRIP_OK","request":{"delivered":true},"reply":{"delivered":true},"data":{"delivered":false}},
                 {"id":"ping","verdict":"REPLY_LOST","request":{"delivered":true},"reply":{"delivered":false}}]""";
        assertThat(SimulatorComparison.mismatches(REAL, SimulatorComparison.resultsById(out))).isEmpty();
    }

    @Test
    void reportsVerdictDeliveryAndDataDifferences() throws Exception {
        String lines = """
                {"id":"ssh","verdict":"ROUND_TRIP_OK","request":{"delivered":true},"data":{"delivered":true}}
                {"id":"ping","verdict":"REQUEST_LOST","request":{"delivered":false}}
                """;
        List<String> mismatches = SimulatorComparison.mismatches(REAL, SimulatorComparison.resultsById(lines));
        assertThat(mismatches).hasSize(2);
        assertThat(mismatches.get(0)).startsWith("ssh: data.delivered real false, simulated true").contains("real:", "simulated:");
        assertThat(mismatches.get(1)).startsWith("ping: verdict real REPLY_LOST, simulated REQUEST_LOST");
    }

    @Test
    void missingProbeAndWrappedOutput() throws Exception {
        String wrapped = """
                {"results":[{"id":"ssh","verdict":"ROUND_TRIP_OK","request":{"delivered":true},"data":{"delivered":false}}]}""";
        assertThat(SimulatorComparison.mismatches(REAL, SimulatorComparison.resultsById(wrapped)))
                .containsExactly("ping: no result from the simulator");
    }
}
