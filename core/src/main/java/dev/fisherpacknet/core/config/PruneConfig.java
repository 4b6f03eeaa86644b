package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigValues;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.mask.SelectionScope;
import java.util.Objects;

/**
 * How each task chooses the weights it keeps ({@code prune.*}).
 *
 * @param ratio the pruning ratio p in [0, 1): the fraction of the task's free weights it releases
 * @param score the importance score that ranks them
 * @param scope per weight matrix or global top-k
 */
public record PruneConfig(double ratio, ImportanceScore score, SelectionScope scope) implements java.io.Serializable {
    public PruneConfig {
        Objects.requireNonNull(score);
        Objects.requireNonNull(scope);
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("ratio must be in [0, 1), got " + ratio);
        }
    }

    /** Reads {@code prune.*}. */
    static PruneConfig read(ConfigValues v) {
        return new PruneConfig(v.doubleIn("prune.ratio", 0, true, 1, false),
                v.choice("prune.score", ImportanceScore.class), v.choice("prune.scope", SelectionScope.class));
    }
}
