package dev.fisherpacknet.core.mask;

import dev.fisherpacknet.core.Seeds;

/** Importance scores of trunk parameters, in float: the precision in which weights themselves are held. */
public final class Scores {
    private Scores() {
    }

    /**
     * One score per trunk parameter.
     *
     * @param params      the trunk parameters
     * @param fisherMean  the Fisher diagonal of the trunk parameters (read only by Fisher-based scores)
     * @param randomSeed  seed of the {@link ImportanceScore#RANDOM} draws
     */
    public static float[] compute(ImportanceScore score, float[] params, double[] fisherMean, long randomSeed) {
        float[] s = new float[params.length];
        for (int i = 0; i < s.length; i++) {
            double theta = params[i];
            s[i] = (float) switch (score) {
                case FISHER -> fisherMean[i];
                case FISHER_SALIENCY -> fisherMean[i] * theta * theta;
                case MAGNITUDE -> Math.abs(theta);
                case RANDOM -> Seeds.uniform(Seeds.derive(randomSeed, "random-score", i));
            };
        }
        return s;
    }
}
