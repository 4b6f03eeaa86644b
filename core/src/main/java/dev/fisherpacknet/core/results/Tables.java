package dev.fisherpacknet.core.results;

import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.ScoreAgreement;
import dev.fisherpacknet.core.run.TaskRecord;
import dev.fisherpacknet.core.run.WeightSample;
import java.util.ArrayList;
import java.util.List;

/**
 * The sweep's long tables, as a header and rows of strings: the same rows feed the CSV files here and the Parquet
 * files the Spark job writes.
 *
 * @param header column names
 * @param rows   one list of values per row, in header order
 */
public record Tables(List<String> header, List<List<String>> rows) {
    public Tables {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** One row per (run, t, j): the run's parameters, t, j and R[t][j]. */
    public static Tables accuracyRows(List<RunResult> results, List<String> axes) {
        List<String> header = new ArrayList<>(ResultsWriter.parameterColumns(axes));
        header.addAll(List.of("t", "j", "accuracy"));
        List<List<String>> rows = new ArrayList<>();
        for (RunResult result : results) {
            List<String> params = ResultsWriter.parameterValues(result.config(), axes);
            AccuracyMatrix r = result.accuracy();
            for (int t = 0; t < r.tasks(); t++) {
                for (int j = 0; j <= t; j++) {
                    List<String> row = new ArrayList<>(params);
                    row.addAll(List.of(String.valueOf(t), String.valueOf(j), ResultsWriter.number(r.get(t, j))));
                    rows.add(row);
                }
            }
        }
        return new Tables(header, rows);
    }

    /** One row per (run, t): capacity, Fisher mass kept and the wall time of each phase. */
    public static Tables taskRows(List<RunResult> results, List<String> axes) {
        List<String> header = new ArrayList<>(ResultsWriter.parameterColumns(axes));
        header.addAll(List.of("t", "free_at_start", "capacity_owned", "kept_weights", "fisher_mass_kept"));
        for (Phase phase : Phase.values()) {
            header.add(phase.configName() + "_ms");
        }
        List<List<String>> rows = new ArrayList<>();
        for (RunResult result : results) {
            List<String> params = ResultsWriter.parameterValues(result.config(), axes);
            for (TaskRecord task : result.tasks()) {
                List<String> row = new ArrayList<>(params);
                row.addAll(List.of(String.valueOf(task.task()), ResultsWriter.number(task.freeAtStart()),
                        ResultsWriter.number(task.capacityOwned()), String.valueOf(task.keptWeights()),
                        ResultsWriter.number(task.fisherMassKept())));
                for (Phase phase : Phase.values()) {
                    row.add(String.valueOf(task.millisByPhase().getOrDefault(phase, 0L)));
                }
                rows.add(row);
            }
        }
        return new Tables(header, rows);
    }

    /**
     * One row per (run, t, other score, layer): how the run's score and the other score agreed at the selection of
     * task t on the same weights (Jaccard index of the kept sets, Spearman's rho of the scores).
     */
    public static Tables agreementRows(List<RunResult> results, List<String> axes) {
        List<String> header = new ArrayList<>(ResultsWriter.parameterColumns(axes));
        header.addAll(List.of("t", "other_score", "layer", "free", "jaccard", "spearman"));
        List<List<String>> rows = new ArrayList<>();
        for (RunResult result : results) {
            List<String> params = ResultsWriter.parameterValues(result.config(), axes);
            for (TaskRecord task : result.tasks()) {
                for (ScoreAgreement a : task.agreements()) {
                    List<String> row = new ArrayList<>(params);
                    row.addAll(List.of(String.valueOf(task.task()), a.other().configName(),
                            String.valueOf(a.layer()), String.valueOf(a.free()), ResultsWriter.number(a.jaccard()),
                            ResultsWriter.number(a.spearman())));
                    rows.add(row);
                }
            }
        }
        return new Tables(header, rows);
    }

    /**
     * One row per sampled weight of each run's task-0 selection: its flat index, trained value, Fisher diagonal
     * and whether the run kept it.
     */
    public static Tables weightSampleRows(List<RunResult> results, List<String> axes) {
        List<String> header = new ArrayList<>(ResultsWriter.parameterColumns(axes));
        header.addAll(List.of("t", "layer", "index", "weight", "fisher", "kept"));
        List<List<String>> rows = new ArrayList<>();
        for (RunResult result : results) {
            List<String> params = ResultsWriter.parameterValues(result.config(), axes);
            for (TaskRecord task : result.tasks()) {
                WeightSample sample = task.sample();
                int[] indices = sample.indices();
                float[] weights = sample.weights();
                double[] fisher = sample.fisher();
                boolean[] kept = sample.kept();
                for (int k = 0; k < sample.size(); k++) {
                    List<String> row = new ArrayList<>(params);
                    row.addAll(List.of(String.valueOf(task.task()), String.valueOf(sample.layer()),
                            String.valueOf(indices[k]), String.valueOf(weights[k]),
                            String.valueOf(fisher[k]), String.valueOf(kept[k])));
                    rows.add(row);
                }
            }
        }
        return new Tables(header, rows);
    }

    /** RFC 4180 CSV text of a table. */
    public static String csv(Tables table) {
        StringBuilder out = new StringBuilder();
        appendCsvLine(out, table.header());
        for (List<String> row : table.rows()) {
            appendCsvLine(out, row);
        }
        return out.toString();
    }

    private static void appendCsvLine(StringBuilder out, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String v = values.get(i) == null ? "" : values.get(i);
            if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
                out.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                out.append(v);
            }
        }
        out.append('\n');
    }
}
