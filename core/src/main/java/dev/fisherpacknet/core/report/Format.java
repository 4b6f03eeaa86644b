package dev.fisherpacknet.core.report;

import java.util.Locale;

/** Number formatting shared by the HTML and Markdown reports, so that both show the same digits. */
final class Format {
    /** The typographic minus of the verdicts ("−0.70"), easier to read than a hyphen next to a dash. */
    static final String MINUS = "\u2212";

    private Format() {
    }

    /** {@code value} with {@code decimals} digits, ASCII, "n/a" for NaN: for table cells a reader may copy. */
    static String number(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return isZero(s) ? s.replace("-", "") : s;
    }

    /** {@code value} with an explicit sign ("+0.20", "−0.70"; "0.00" when it rounds to zero), for prose. */
    static String signed(double value, int decimals) {
        String magnitude = String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(value));
        if (isZero(magnitude)) {
            return magnitude;
        }
        return (value < 0 ? MINUS : "+") + magnitude;
    }

    /** A pruning ratio as the configs write it: 0.5, 0.75. */
    static String ratio(double ratio) {
        String s = String.format(Locale.ROOT, "%.4f", ratio).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    /** A confidence level as a percentage: "95%". */
    static String percent(double level) {
        String s = String.format(Locale.ROOT, "%.2f", 100 * level).replaceAll("\\.?0+$", "");
        return s + "%";
    }

    private static boolean isZero(String formatted) {
        return formatted.chars().noneMatch(c -> c >= '1' && c <= '9');
    }
}
