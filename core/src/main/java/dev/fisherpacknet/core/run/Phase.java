package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.ConfigName;
import java.util.LinkedHashMap;
import java.util.Map;

/** The phases of one task, in order; each is timed. */
public enum Phase implements ConfigName {
    /** Training the free weights (and the new head). */
    TRAIN,
    /** The Fisher diagonal over the task's training set. */
    FISHER,
    /** Scoring and top-k selection on the driver. */
    SELECT,
    /** Retraining the kept weights with the released ones at zero. */
    RETRAIN,
    /** Test accuracy of every task so far. */
    EVALUATE;

    /**
     * Milliseconds by phase name, as the result files list them: every phase, in this order, 0 where none were
     * spent.
     */
    public static Map<String, Long> byName(Map<Phase, Long> millis) {
        Map<String, Long> named = new LinkedHashMap<>();
        for (Phase phase : values()) {
            named.put(phase.configName(), millis.getOrDefault(phase, 0L));
        }
        return named;
    }
}
