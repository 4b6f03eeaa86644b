package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.run.ScoreAgreement;
import dev.fisherpacknet.core.run.TaskRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How far the scores agree on which weights matter, from the runs' task-0 selections: there every run of a seed
 * selects from the same densely trained network, so the comparison isolates the criterion from its history.
 */
final class ScoreAgreements {
    private ScoreAgreements() {
    }

    /**
     * One row of the agreement table: a pair of scores on one trunk weight matrix.
     *
     * @param score    the run's score
     * @param other    the score it is compared with
     * @param layer    trunk weight matrix
     * @param spearman mean over seeds of Spearman's rho (empty where undefined)
     * @param jaccard  by pruning ratio: mean over seeds of the Jaccard index of the kept sets
     */
    record Row(String score, String other, int layer, OptionalDouble spearman, Map<Double, OptionalDouble> jaccard) {
    }

    /** The task-0 agreements of {@code runs}, one row per unordered pair of scores and layer. */
    static List<Row> taskZero(List<ReportRun> runs, List<Double> ratios) {
        List<Row> rows = new ArrayList<>();
        List<String> pairsSeen = new ArrayList<>();
        for (ReportRun run : runs) {
            for (ScoreAgreement a : agreementsAtTaskZero(run)) {
                String other = a.other().configName();
                String pair = run.method() + "|" + other + "|" + a.layer();
                String reverse = other + "|" + run.method() + "|" + a.layer();
                if (pairsSeen.contains(pair) || pairsSeen.contains(reverse)) {
                    continue;
                }
                pairsSeen.add(pair);
                List<ScoreAgreement> all = runs.stream().filter(r -> r.method().equals(run.method()))
                        .flatMap(r -> agreementsAtTaskZero(r).stream())
                        .filter(x -> x.other() == a.other() && x.layer() == a.layer()).toList();
                Map<Double, OptionalDouble> jaccard = new LinkedHashMap<>();
                for (double ratio : ratios) {
                    jaccard.put(ratio, runs.stream().filter(r -> r.method().equals(run.method())
                                    && r.ratio() == ratio).flatMap(r -> agreementsAtTaskZero(r).stream())
                            .filter(x -> x.other() == a.other() && x.layer() == a.layer())
                            .mapToDouble(ScoreAgreement::jaccard).filter(v -> !Double.isNaN(v)).average());
                }
                rows.add(new Row(run.method(), other, a.layer(),
                        all.stream().mapToDouble(ScoreAgreement::spearman).filter(v -> !Double.isNaN(v)).average(),
                        jaccard));
            }
        }
        return rows;
    }

    private static List<ScoreAgreement> agreementsAtTaskZero(ReportRun run) {
        return run.tasks().stream().filter(t -> t.task() == 0).findFirst().map(TaskRecord::agreements)
                .orElse(List.of());
    }

    /**
     * The runs whose task-0 weight samples the Fisher-vs-magnitude plot draws: the {@code fisher} and
     * {@code magnitude} runs of the lowest seed at the middle ratio of the grid, when both were run.
     */
    static Optional<List<ReportRun>> scatterRuns(List<ReportRun> runs, List<Double> ratios) {
        if (ratios.isEmpty() || runs.isEmpty()) {
            return Optional.empty();
        }
        double ratio = ratios.get(ratios.size() / 2);
        long seed = runs.stream().mapToLong(ReportRun::seed).min().getAsLong();
        Optional<ReportRun> fisher = find(runs, "fisher", ratio, seed);
        Optional<ReportRun> magnitude = find(runs, "magnitude", ratio, seed);
        if (fisher.isEmpty() || magnitude.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(List.of(fisher.get(), magnitude.get()));
    }

    /** The task-0 record of {@code run} that carries a weight sample, if any. */
    static Optional<TaskRecord> sampledTaskZero(ReportRun run) {
        return run.tasks().stream().filter(t -> t.task() == 0 && t.sample().size() > 0).findFirst();
    }

    private static Optional<ReportRun> find(List<ReportRun> runs, String method, double ratio, long seed) {
        return runs.stream().filter(r -> r.method().equals(method) && r.ratio() == ratio && r.seed() == seed)
                .filter(r -> sampledTaskZero(r).isPresent()).findFirst();
    }
}
