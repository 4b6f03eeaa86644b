package dev.fisherpacknet.core;

/**
 * Derives every seed of a run from its master seed by a pure function of the purpose and indices, so that
 * two runs that share a master seed draw identical permutations, initialisations and shuffles no matter the
 * order in which the sweep executes them or how the data is partitioned.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A seed for {@code purpose} and {@code indices} under {@code master}; distinct inputs give unrelated seeds. */
    public static long derive(long master, String purpose, long... indices) {
        long h = mix(master ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < purpose.length(); i++) {
            h = mix(h ^ purpose.charAt(i));
        }
        for (long index : indices) {
            h = mix(h ^ mix(index + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** A uniform double in [0, 1) that depends only on {@code seed}: a stateless draw, e.g. one per example. */
    public static double uniform(long seed) {
        return (mix(seed) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser: a bijective avalanche on 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
