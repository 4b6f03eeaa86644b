package dev.fisherpacknet.core.mask;

import dev.fisherpacknet.core.ConfigName;

/** How a task ranks the free weights it may keep (docs/PROTOCOL.md, "Importance scores"). */
public enum ImportanceScore implements ConfigName {
    /** Diagonal Fisher information F_i. */
    FISHER,
    /** F_i * theta_i^2: the second-order loss increase when weight i is set to zero (Optimal Brain Damage). */
    FISHER_SALIENCY,
    /** |theta_i|, as PackNet. */
    MAGNITUDE,
    /** A seeded uniform draw: the control. */
    RANDOM;

    /** Whether this score reads the Fisher diagonal. */
    public boolean needsFisher() {
        return this == FISHER || this == FISHER_SALIENCY;
    }
}
