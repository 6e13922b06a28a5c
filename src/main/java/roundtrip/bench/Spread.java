package roundtrip.bench;

import java.util.Arrays;

/**
 * Repeated measurements as bench and the closing notes give them: the median with the smallest and largest value. The
 * median of an even number of values is the mean of the two middle ones, so two rounds are not reported as the
 * faster of them.
 */
public record Spread(double median, double min, double max) {
    /** The spread of {@code values} (at least one). */
    public static Spread of(double... values) {
        if (values.length == 0) throw new IllegalArgumentException("no values");
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Spread(median, s[0], s[n - 1]);
    }
}
