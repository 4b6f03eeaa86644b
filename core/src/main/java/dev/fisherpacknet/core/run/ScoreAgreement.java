package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.mask.ImportanceScore;

/**
 * How the run's own score and another score agreed at one task's selection, on one trunk weight matrix of the same
 * trained network (see {@link dev.fisherpacknet.core.mask.ScoreComparison}).
 *
 * @param other    the score compared with the run's own
 * @param layer    index of the trunk weight matrix (0 = the input layer's)
 * @param free     weights of that matrix free at the selection
 * @param jaccard  Jaccard index of the two kept sets
 * @param spearman Spearman's rank correlation of the two scores over the free weights
 */
public record ScoreAgreement(ImportanceScore other, int layer, int free, double jaccard, double spearman)
        implements java.io.Serializable {
}
