package dev.fisherpacknet.core.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paired differences in words, e.g.
 * {@code fisher-saliency − magnitude = −0.70 pp [−1.10, −0.30]: magnitude better}.
 * "Better" is said only when the whole interval lies on one side of 0; an interval that contains 0 is "no
 * significant difference", and a single seed gives a difference with no interval, which is said too.
 */
public final class Verdicts {
    private Verdicts() {
    }

    /** The verdict of one paired difference, with its numbers. */
    public static String sentence(PairedDifference d) {
        String label = d.comparison().label();
        return switch (d.outcome()) {
            case NO_PAIRS -> label + ": no seed has runs of both, nothing to compare";
            case ONE_SEED -> label + " = " + Format.signed(d.mean(), 2) + " pp (one seed): no interval is possible"
                    + " with one seed; run more seeds to compare";
            default -> {
                Interval ci = d.ci().orElseThrow();
                yield label + " = " + Format.signed(d.mean(), 2) + " pp [" + Format.signed(ci.lo(), 2) + ", "
                        + Format.signed(ci.hi(), 2) + "]: " + reading(d);
            }
        };
    }

    /** The verdict alone: "magnitude better", "no significant difference", ... */
    public static String reading(PairedDifference d) {
        return switch (d.outcome()) {
            case FIRST_BETTER -> d.comparison().first() + " better";
            case SECOND_BETTER -> d.comparison().second() + " better";
            case NO_DIFFERENCE -> "no significant difference";
            case ONE_SEED -> "no interval (one seed)";
            case NO_PAIRS -> "no shared seeds";
        };
    }

    /**
     * One comparison over all ratios, in a sentence, e.g. {@code fisher − magnitude: magnitude better at p = 0.6,
     * 0.7; no significant difference at p = 0.5}. {@code differences} are of the same comparison.
     */
    public static String overall(List<PairedDifference> differences) {
        if (differences.isEmpty()) {
            throw new IllegalArgumentException("no differences to summarise");
        }
        Map<String, List<String>> ratiosByReading = new LinkedHashMap<>();
        for (PairedDifference d : differences) {
            ratiosByReading.computeIfAbsent(reading(d), k -> new ArrayList<>()).add(Format.ratio(d.ratio()));
        }
        List<String> parts = new ArrayList<>();
        ratiosByReading.forEach((reading, ratios) -> parts.add(reading + " at p = " + String.join(", ", ratios)));
        return differences.get(0).comparison().label() + ": " + String.join("; ", parts);
    }
}
