package dev.fisherpacknet.core.results;

import static dev.fisherpacknet.core.results.OutputLayout.ACCURACY_CSV;
import static dev.fisherpacknet.core.results.OutputLayout.AGREEMENT_CSV;
import static dev.fisherpacknet.core.results.OutputLayout.FAILURE_JSON;
import static dev.fisherpacknet.core.results.OutputLayout.RUNS_DIR;
import static dev.fisherpacknet.core.results.OutputLayout.RUN_SUMMARY_JSON;
import static dev.fisherpacknet.core.results.OutputLayout.SUMMARY_MD;
import static dev.fisherpacknet.core.results.OutputLayout.TASKS_CSV;
import static dev.fisherpacknet.core.results.OutputLayout.WEIGHT_SAMPLE_CSV;

import dev.fisherpacknet.core.config.Baseline;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a sweep's results in formats a user can load anywhere: a JSON summary per run as soon as it finishes,
 * then one CSV row per (run, t, j) and per (run, t), and the Markdown summary table. Every file is written to a
 * temporary name and renamed into place, so a crash never leaves a file that looks complete.
 */
public final class ResultsWriter {

    /**
     * The parameter columns every table starts with. {@code method} says what the run did, the importance score of a
     * pruned run or the baseline's label ({@code finetune}, {@code joint}, {@code ewc-l100-separate}); score, ratio
     * and scope are empty for a baseline, and fisher_labels for the baselines that compute no Fisher.
     */
    static final List<String> FIXED_COLUMNS = List.of("run", "seed", "method", "score", "ratio", "scope",
            "fisher_labels", "procedure");

    private final Path dir;
    private final List<String> axes;

    /**
     * @param dir  the sweep's output folder (created if needed)
     * @param axes the sweep's axes, which become columns of every table
     */
    public ResultsWriter(Path dir, List<String> axes) {
        this.dir = dir;
        this.axes = List.copyOf(axes);
    }

    /** Writes {@code runs/<id>/summary.json} for a finished run. */
    public Path writeRun(RunResult result) {
        return writeAtomically(dir.resolve(RUNS_DIR).resolve(result.config().id()).resolve(RUN_SUMMARY_JSON),
                toJson(result));
    }

    /** Writes the CSV tables and the Markdown summary of all finished runs. */
    public void writeTables(List<RunResult> results) {
        writeTables(results, List.of());
    }

    /**
     * Writes the CSV tables of the finished runs, and the Markdown summary with the failed runs listed after its
     * tables (which leave them out).
     */
    public void writeTables(List<RunResult> results, List<RunFailure> failures) {
        writeAtomically(dir.resolve(ACCURACY_CSV), Tables.csv(Tables.accuracyRows(results, axes)));
        writeAtomically(dir.resolve(TASKS_CSV), Tables.csv(Tables.taskRows(results, axes)));
        writeAtomically(dir.resolve(AGREEMENT_CSV), Tables.csv(Tables.agreementRows(results, axes)));
        writeAtomically(dir.resolve(WEIGHT_SAMPLE_CSV), Tables.csv(Tables.weightSampleRows(results, axes)));
        writeAtomically(dir.resolve(SUMMARY_MD), SummaryTable.markdown(results) + failuresMarkdown(failures));
    }

    /** Writes {@code runs/<id>/failure.json} for a run that diverged. */
    public Path writeFailure(RunFailure failure) {
        return JsonFiles.write(dir.resolve(RUNS_DIR).resolve(failure.config().id()).resolve(FAILURE_JSON),
                FailureRecord.of(failure));
    }

    /** The section of {@code summary.md} that lists failed runs; empty if there are none. */
    public static String failuresMarkdown(List<RunFailure> failures) {
        if (failures.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n## Failed runs\n\n");
        out.append(failures.size()).append(failures.size() == 1 ? " run" : " runs").append(" diverged and")
                .append(failures.size() == 1 ? " is" : " are").append(" left out of the tables above: each cell"
                        + " is the mean over its runs that finished.\n\n");
        out.append("| run | task | phase | reason |\n|---|---:|---|---|\n");
        for (RunFailure f : failures) {
            out.append("| ").append(f.config().id()).append(" | ").append(f.task()).append(" | ")
                    .append(f.phase().configName()).append(" | ").append(f.reason().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The JSON summary of one run ({@link RunSummary}). */
    public static String toJson(RunResult result) {
        return JsonFiles.text(RunSummary.of(result));
    }

    /** Whether the run's results depend on fisher.labels: pruned runs and EWC. */
    static boolean usesFisher(RunConfig c) {
        return !c.isBaseline() || c.baseline().kind() == Baseline.EWC;
    }

    /** Writes {@code text} to {@code target} through a temporary file and an atomic rename ({@link AtomicFiles}). */
    public static Path writeAtomically(Path target, String text) {
        return AtomicFiles.writeString(target, text);
    }

    static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value);
    }

    static List<String> parameterColumns(List<String> axes) {
        List<String> columns = new ArrayList<>(FIXED_COLUMNS);
        for (String axis : axes) {
            String column = column(axis);
            if (!columns.contains(column)) {
                columns.add(column);
            }
        }
        return columns;
    }

    static List<String> parameterValues(RunConfig c, List<String> axes) {
        boolean pruned = !c.isBaseline();
        List<String> values = new ArrayList<>(List.of(c.id(), String.valueOf(c.seed()), c.method(),
                pruned ? c.prune().score().configName() : "", pruned ? String.valueOf(c.prune().ratio()) : "",
                pruned ? c.prune().scope().configName() : "", usesFisher(c) ? c.fisherLabels().configName() : "",
                c.spark().procedure()));
        for (String axis : axes) {
            if (!FIXED_COLUMNS.contains(column(axis))) {
                // A baseline is not crossed with every axis (see ConfigLoader): an axis it does not have is empty.
                values.add(c.sweepValues().getOrDefault(axis, ""));
            }
        }
        return values;
    }

    /** The table column of a config path: its last segment with dashes as underscores ("prune.ratio" is "ratio"). */
    static String column(String axis) {
        String last = axis.substring(axis.lastIndexOf('.') + 1).replace('-', '_');
        return switch (axis) {
            case "prune.score" -> "score";
            case "fisher.labels" -> "fisher_labels";
            case "prune.scope" -> "scope";
            default -> last;
        };
    }
}
