package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.mask.ScoreComparison;
import dev.fisherpacknet.core.mask.Scores;
import dev.fisherpacknet.core.model.ParamLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The report's view of a run's selections: at every task, how each other score would have chosen among the same
 * free weights of the same trained network (agreement with the run's own score); at task 0, a seeded sample of the
 * first trunk matrix with its weights, Fisher values and what the run kept (Fisher against magnitude). One per run.
 */
public final class SelectionDiagnostics implements SelectionObserver {
    /** Weights in the sample of the first trunk matrix. */
    static final int WEIGHT_SAMPLE_SIZE = 1000;

    private final RunConfig config;
    private List<ScoreAgreement> agreements = List.of();
    private float[] sampledWeights;
    private double[] sampledFisher;

    /** Diagnostics of {@code config}'s run. */
    public SelectionDiagnostics(RunConfig config) {
        this.config = config;
    }

    @Override
    public void beforeSelection(MultiHeadModel model, int task, float[] trained, double[] fisherMean) {
        agreements = compareScores(model, task, trained, fisherMean);
        sampledWeights = task == 0 ? trained.clone() : null;
        sampledFisher = task == 0 ? fisherMean : null;
    }

    @Override
    public Diagnostics afterSelection(MultiHeadModel model, int task) {
        WeightSample sample = sampledWeights == null ? WeightSample.NONE : sample(model, task);
        Diagnostics diagnostics = new Diagnostics(agreements, sample);
        agreements = List.of();
        sampledWeights = null;
        sampledFisher = null;
        return diagnostics;
    }

    /**
     * How every other score would have chosen among the weights free for task t of the same trained network,
     * compared with the run's own score; called before the selection assigns ownership.
     */
    private List<ScoreAgreement> compareScores(MultiHeadModel model, int t, float[] trained, double[] fisherMean) {
        ParamLayout layout = model.layout();
        float[] trunk = Arrays.copyOf(trained, layout.trunkLength());
        double[] trunkFisher = Arrays.copyOf(fisherMean, layout.trunkLength());
        long randomSeed = Seeds.derive(config.seed(), "random-score", t);
        ImportanceScore own = config.prune().score();
        float[] scores = Scores.compute(own, trunk, trunkFisher, randomSeed);
        List<ScoreAgreement> found = new ArrayList<>();
        for (ImportanceScore other : ImportanceScore.values()) {
            if (other == own) {
                continue;
            }
            float[] otherScores = Scores.compute(other, trunk, trunkFisher, randomSeed);
            for (ScoreComparison.LayerAgreement a : ScoreComparison.compare(scores, otherScores, model.ownership(),
                    layout, config.prune().ratio(), config.prune().scope())) {
                found.add(new ScoreAgreement(other, a.layer(), a.free(), a.jaccard(), a.spearman()));
            }
        }
        return found;
    }

    /** A seeded sample of the first trunk weight matrix, for drawing Fisher against magnitude. */
    private WeightSample sample(MultiHeadModel model, int t) {
        ParamLayout.Layer layer = model.layout().layers().get(0);
        int n = Math.min(WEIGHT_SAMPLE_SIZE, layer.weightCount());
        int[] order = new int[layer.weightCount()];
        for (int i = 0; i < order.length; i++) {
            order[i] = layer.weightOffset() + i;
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(config.seed(), "weight-sample", t));
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(order.length - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] indices = Arrays.copyOf(order, n);
        Arrays.sort(indices);
        float[] weights = new float[n];
        double[] fisher = new double[n];
        boolean[] kept = new boolean[n];
        for (int k = 0; k < n; k++) {
            weights[k] = sampledWeights[indices[k]];
            fisher[k] = sampledFisher[indices[k]];
            kept[k] = model.ownership().owner(indices[k]) == t;
        }
        return new WeightSample(0, indices, weights, fisher, kept);
    }
}
