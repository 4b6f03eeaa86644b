package dev.fisherpacknet.core.results;

import dev.fisherpacknet.core.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The sweep's headline: ACC and BWT per score (rows) and pruning ratio (columns), in percent, as mean ± standard
 * deviation over the runs that share them (seeds and any other axis), with the number of runs; and the same two
 * metrics per baseline, which has no ratio.
 */
public final class SummaryTable {
    private SummaryTable() {
    }

    /** One cell: the mean and sample standard deviation of a metric over {@code n} runs. */
    public record Cell(double mean, double sd, int n) {
        String format() {
            return n > 1 ? String.format(Locale.ROOT, "%.2f ± %.2f", mean, sd)
                    : String.format(Locale.ROOT, "%.2f", mean);
        }
    }

    /** ACC (true) or BWT (false) in percent, keyed by score then ratio. */
    public static Map<String, Map<Double, Cell>> cells(List<RunResult> results, boolean acc) {
        Map<String, Map<Double, List<Double>>> values = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (r.config().isBaseline()) {
                continue;
            }
            double v = 100 * (acc ? r.accuracy().acc() : r.accuracy().bwt());
            values.computeIfAbsent(r.config().prune().score().configName(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.config().prune().ratio(), k -> new ArrayList<>()).add(v);
        }
        Map<String, Map<Double, Cell>> cells = new LinkedHashMap<>();
        values.forEach((score, byRatio) -> byRatio.forEach((ratio, list) ->
                cells.computeIfAbsent(score, k -> new LinkedHashMap<>()).put(ratio, cell(list))));
        return cells;
    }

    /**
     * ACC (true) or BWT (false) in percent of every baseline, keyed by method; a metric the method does not define
     * (BWT of joint, which has no sequence) is left out, so its cell is absent.
     */
    public static Map<String, Cell> baselineCells(List<RunResult> results, boolean acc) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (!r.config().isBaseline()) {
                continue;
            }
            double v = 100 * (acc ? r.accuracy().acc() : r.accuracy().bwt());
            List<Double> list = values.computeIfAbsent(r.config().method(), k -> new ArrayList<>());
            if (!Double.isNaN(v)) {
                list.add(v);
            }
        }
        Map<String, Cell> cells = new LinkedHashMap<>();
        values.forEach((method, list) -> {
            if (!list.isEmpty()) {
                cells.put(method, cell(list));
            }
        });
        return cells;
    }

    private static Cell cell(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0;
        return new Cell(mean, sd, values.size());
    }

    /** The Markdown text: an ACC table and a BWT table. */
    public static String markdown(List<RunResult> results) {
        StringBuilder out = new StringBuilder();
        int seeds = (int) results.stream().mapToLong(r -> r.config().seed()).distinct().count();
        out.append("# Results\n\n");
        out.append(String.format(Locale.ROOT, "%d runs. Cells are percent, mean ± sample standard deviation over "
                + "%d seed(s) when there is more than one run per cell.%n%n", results.size(), seeds));
        out.append("## ACC (mean final test accuracy over tasks; higher is better)\n\n");
        out.append(table(cells(results, true)));
        out.append("\n## BWT (backward transfer; 0 means no forgetting, negative means forgetting)\n\n");
        out.append(table(cells(results, false)));
        Map<String, Cell> baselineAcc = baselineCells(results, true);
        if (!baselineAcc.isEmpty()) {
            Map<String, Cell> baselineBwt = baselineCells(results, false);
            out.append("\n## Baselines (no pruning)\n\n");
            out.append("| method | ACC | BWT |\n|---|---:|---:|\n");
            baselineAcc.forEach((method, accCell) -> out.append("| ").append(method).append(" | ")
                    .append(accCell.format()).append(" | ")
                    .append(baselineBwt.containsKey(method) ? baselineBwt.get(method).format() : "n/a")
                    .append(" |\n"));
            if (!baselineBwt.keySet().containsAll(baselineAcc.keySet())) {
                out.append("\nn/a: joint training learns every task at once, so no task is learned before another"
                        + " and BWT is not defined.\n");
            }
        }
        return out.toString();
    }

    /** A Markdown table with one row per score and one column per ratio. */
    public static String table(Map<String, Map<Double, Cell>> cells) {
        TreeSet<Double> ratios = new TreeSet<>();
        cells.values().forEach(m -> ratios.addAll(m.keySet()));
        StringBuilder out = new StringBuilder("| score |");
        ratios.forEach(p -> out.append(" p = ").append(p).append(" |"));
        out.append("\n|---|");
        ratios.forEach(p -> out.append("---:|"));
        out.append('\n');
        cells.forEach((score, byRatio) -> {
            out.append("| ").append(score).append(" |");
            for (double p : ratios) {
                Cell c = byRatio.get(p);
                out.append(' ').append(c == null ? "" : c.format()).append(" |");
            }
            out.append('\n');
        });
        return out.toString();
    }
}
