package roundtrip.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpreadTest {
    @Test
    void anOddCountsMedianIsItsMiddleValue() {
        assertThat(Spread.of(9, 1, 5)).isEqualTo(new Spread(5, 1, 9));
    }

    /** Two rounds are reported as their mean, not as the faster of them (sorted[n / 2] was the upper one). */
    @Test
    void anEvenCountsMedianIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Spread.of(12, 10).median()).isEqualTo(11);
        assertThat(Spread.of(4, 1, 3, 100)).isEqualTo(new Spread(3.5, 1, 100));
    }

    @Test
    void theValuesAreLeftAsTheyWere() {
        double[] v = {3, 1, 2};
        Spread.of(v);
        assertThat(v).containsExactly(3, 1, 2);
    }

    @Test
    void noValuesHaveNoSpread() {
        assertThatThrownBy(Spread::of).isInstanceOf(IllegalArgumentException.class);
    }
}
