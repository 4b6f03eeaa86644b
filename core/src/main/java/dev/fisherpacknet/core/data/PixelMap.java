package dev.fisherpacknet.core.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A fixed linear map from a base example's features to a task's: feature {@code k} of the task example is
 * {@code sum_j weights[k * taps + j] * base[sources[k * taps + j]]}. A pixel permutation is one tap of weight 1;
 * a bilinear rotation is four taps. The table is computed once per task on the driver, so materialising a
 * minibatch on an executor is a few multiply-adds per pixel, and the map ships as two small arrays.
 *
 * @param taps    source features read per output feature
 * @param sources {@code width * taps} indices into a base example's features
 * @param weights {@code width * taps} weights; a tap of weight 0 contributes nothing (its source is 0)
 */
public record PixelMap(int taps, int[] sources, float[] weights) implements Serializable {

    /**
     * Source coordinates this close to a whole pixel are snapped onto it: cos 90° is 6e-17 in doubles, and
     * without the snap a quarter turn would blend in a 1e-16 share of a neighbour instead of moving pixels.
     */
    private static final double SNAP = 1e-9;

    public PixelMap {
        if (taps < 1 || sources.length != weights.length || sources.length % taps != 0) {
            throw new IllegalArgumentException("need taps >= 1 and width * taps sources and weights, got taps " + taps
                    + ", " + sources.length + " sources, " + weights.length + " weights");
        }
        int width = sources.length / taps;
        for (int source : sources) {
            if (source < 0 || source >= width) {
                throw new IllegalArgumentException("source index " + source + " outside [0, " + width + ")");
            }
        }
        sources = sources.clone();
        weights = weights.clone();
    }

    /** The map that moves pixel {@code permutation[k]} of a base example to position {@code k}. */
    public static PixelMap permutation(int[] permutation) {
        float[] ones = new float[permutation.length];
        Arrays.fill(ones, 1f);
        return new PixelMap(1, permutation, ones);
    }

    /**
     * Rotation of a {@code side x side} image, stored row-major, by {@code degrees} counterclockwise as the image
     * is displayed (row 0 at the top), about the image centre {@code ((side - 1) / 2, (side - 1) / 2)}. Each output
     * pixel takes the bilinear interpolation of the four base pixels around its rotated-back position; positions
     * outside the image read as 0.
     */
    public static PixelMap rotation(int side, double degrees) {
        if (side < 1 || !Double.isFinite(degrees)) {
            throw new IllegalArgumentException("need side >= 1 and finite degrees, got " + side + ", " + degrees);
        }
        double radians = Math.toRadians(degrees);
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double centre = (side - 1) / 2.0;
        int width = side * side;
        int[] sources = new int[width * 4];
        float[] weights = new float[width * 4];
        for (int row = 0; row < side; row++) {
            for (int col = 0; col < side; col++) {
                // Output offset from the centre with y pointing up; rotate it back by -degrees to find the source.
                double x = col - centre;
                double y = centre - row;
                double sourceCol = snap(centre + x * cos + y * sin);
                double sourceRow = snap(centre - (-x * sin + y * cos));
                int r0 = (int) Math.floor(sourceRow);
                int c0 = (int) Math.floor(sourceCol);
                double fr = sourceRow - r0;
                double fc = sourceCol - c0;
                int k = (row * side + col) * 4;
                tap(sources, weights, k, side, r0, c0, (1 - fr) * (1 - fc));
                tap(sources, weights, k + 1, side, r0, c0 + 1, (1 - fr) * fc);
                tap(sources, weights, k + 2, side, r0 + 1, c0, fr * (1 - fc));
                tap(sources, weights, k + 3, side, r0 + 1, c0 + 1, fr * fc);
            }
        }
        return new PixelMap(4, sources, weights);
    }

    private static double snap(double coordinate) {
        double nearest = Math.rint(coordinate);
        return Math.abs(coordinate - nearest) < SNAP ? nearest : coordinate;
    }

    private static void tap(int[] sources, float[] weights, int slot, int side, int row, int col, double weight) {
        if (row >= 0 && row < side && col >= 0 && col < side && weight != 0) {
            sources[slot] = row * side + col;
            weights[slot] = (float) weight;
        }
    }

    /** Features per example, before and after the map. */
    public int width() {
        return sources.length / taps;
    }

    /**
     * Writes the mapped features of base example {@code example} of {@code base} into {@code dest} at {@code offset}.
     */
    public void apply(ImageSet base, int example, float[] dest, int offset) {
        int width = width();
        if (base.width() != width) {
            throw new IllegalArgumentException("map of width " + width + " applied to examples of width "
                    + base.width());
        }
        for (int k = 0; k < width; k++) {
            float sum = 0f;
            for (int j = k * taps, end = j + taps; j < end; j++) {
                sum += weights[j] * base.feature(example, sources[j]);
            }
            dest[offset + k] = sum;
        }
    }

    @Override
    public int[] sources() {
        return sources.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelMap m && taps == m.taps && Arrays.equals(sources, m.sources)
                && Arrays.equals(weights, m.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sources) + Arrays.hashCode(weights) + taps;
    }

    @Override
    public String toString() {
        return "PixelMap[" + width() + " features, " + taps + " taps]";
    }
}
