package dev.fisherpacknet.core.run;

import java.util.Arrays;

/**
 * R[t][j]: test accuracy on task j after training task t (j &lt;= t), and the summary metrics of docs/PROTOCOL.md.
 *
 * @param values T x T, NaN above the diagonal
 */
public record AccuracyMatrix(double[][] values) implements java.io.Serializable {
    public AccuracyMatrix {
        values = Arrays.stream(values).map(double[]::clone).toArray(double[][]::new);
    }

    /** Number of tasks T. */
    public int tasks() {
        return values.length;
    }

    /** R[t][j]. */
    public double get(int t, int j) {
        return values[t][j];
    }

    /** ACC = mean over j of R[T-1][j]. */
    public double acc() {
        int last = values.length - 1;
        return Arrays.stream(values[last]).average().orElseThrow();
    }

    /** BWT = mean over j &lt; T-1 of R[T-1][j] - R[j][j]; 0 with a single task. */
    public double bwt() {
        int last = values.length - 1;
        if (last == 0) {
            return 0;
        }
        double sum = 0;
        for (int j = 0; j < last; j++) {
            sum += values[last][j] - values[j][j];
        }
        return sum / last;
    }

    @Override
    public double[][] values() {
        return Arrays.stream(values).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccuracyMatrix m && Arrays.deepEquals(values, m.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }
}
