package dev.fisherpacknet.core.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.fisherpacknet.core.config.Baseline;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.TaskRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/<id>/summary.json}: a finished run, written as soon as it finishes, read back by the report for how
 * the run trained. JSON has no NaN: a value a run does not define (a baseline's Fisher mass, joint training's R[t][j]
 * below its last row) is null.
 *
 * @param id             the run's id
 * @param parameters     what the run was
 * @param sweepValues    its values of the swept keys, in the sweep's order
 * @param acc            ACC, the mean of R's last row
 * @param bwt            BWT, null where the run does not define it (joint training has no R[j][j])
 * @param accuracyMatrix R[t][j] for j ≤ t, null where the run does not define it
 * @param tasks          one record per task
 * @param millis         the run's wall time
 */
@JsonPropertyOrder({"id", "parameters", "sweep_values", "acc", "bwt", "accuracy_matrix", "tasks", "millis"})
public record RunSummary(
        @JsonProperty("id") String id,
        @JsonProperty("parameters") Parameters parameters,
        @JsonProperty("sweep_values") Map<String, String> sweepValues,
        @JsonProperty("acc") double acc,
        @JsonProperty("bwt") Double bwt,
        @JsonProperty("accuracy_matrix") List<List<Double>> accuracyMatrix,
        @JsonProperty("tasks") List<Task> tasks,
        @JsonProperty("millis") long millis) {

    public RunSummary {
        JsonFiles.required(id, "id");
        JsonFiles.required(parameters, "parameters");
        sweepValues = Collections.unmodifiableMap(new LinkedHashMap<>(sweepValues == null ? Map.of() : sweepValues));
        accuracyMatrix = accuracyMatrix == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(
                accuracyMatrix));
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    /** The summary of {@code result}. */
    public static RunSummary of(RunResult result) {
        AccuracyMatrix r = result.accuracy();
        List<List<Double>> matrix = new ArrayList<>();
        for (int t = 0; t < r.tasks(); t++) {
            List<Double> row = new ArrayList<>();
            for (int j = 0; j <= t; j++) {
                row.add(orNull(r.get(t, j)));
            }
            matrix.add(row);
        }
        return new RunSummary(result.config().id(), Parameters.of(result.config()), result.config().sweepValues(),
                r.acc(), orNull(r.bwt()), matrix, result.tasks().stream().map(Task::of).toList(), result.millis());
    }

    /** {@code value}, or null for NaN (not defined for this run), which JSON cannot hold. */
    static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    /**
     * What a run was. Score, ratio and scope are null for a baseline (it does not prune), which alone has
     * {@code baseline}, and the EWC fields when it is EWC; {@code fisher_labels} is null for the runs that compute no
     * Fisher. Summaries written before the procedure was recorded lack the training fields: they read as null.
     */
    @JsonPropertyOrder({"seed", "method", "score", "ratio", "scope", "baseline", "ewc_lambda", "ewc_mode", "ewc_gamma",
        "fisher_labels", "tasks", "task_stream", "hidden", "activation", "learning_rate", "batch_size", "epochs",
        "retrain_epochs", "optimizer_reset", "init", "procedure", "workers", "averaging_frequency"})
    public record Parameters(
            @JsonProperty("seed") long seed,
            @JsonProperty("method") String method,
            @JsonProperty("score") String score,
            @JsonProperty("ratio") Double ratio,
            @JsonProperty("scope") String scope,
            @JsonProperty("baseline") @JsonInclude(JsonInclude.Include.NON_NULL) String baseline,
            @JsonProperty("ewc_lambda") @JsonInclude(JsonInclude.Include.NON_NULL) Double ewcLambda,
            @JsonProperty("ewc_mode") @JsonInclude(JsonInclude.Include.NON_NULL) String ewcMode,
            @JsonProperty("ewc_gamma") @JsonInclude(JsonInclude.Include.NON_NULL) Double ewcGamma,
            @JsonProperty("fisher_labels") String fisherLabels,
            @JsonProperty("tasks") int tasks,
            @JsonProperty("task_stream") String taskStream,
            @JsonProperty("hidden") String hidden,
            @JsonProperty("activation") String activation,
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("batch_size") Integer batchSize,
            @JsonProperty("epochs") int epochs,
            @JsonProperty("retrain_epochs") int retrainEpochs,
            @JsonProperty("optimizer_reset") String optimizerReset,
            @JsonProperty("init") String init,
            @JsonProperty("procedure") String procedure,
            @JsonProperty("workers") Integer workers,
            @JsonProperty("averaging_frequency") Integer averagingFrequency) {

        /** The parameters of {@code c}. */
        public static Parameters of(RunConfig c) {
            boolean pruned = !c.isBaseline();
            boolean ewc = !pruned && c.baseline().kind() == Baseline.EWC;
            return new Parameters(c.seed(), c.method(),
                    pruned ? c.prune().score().configName() : null,
                    pruned ? c.prune().ratio() : null,
                    pruned ? c.prune().scope().configName() : null,
                    pruned ? null : c.baseline().kind().configName(),
                    ewc ? c.baseline().lambda() : null,
                    ewc ? c.baseline().mode().configName() : null,
                    ewc ? c.baseline().gamma() : null,
                    ResultsWriter.usesFisher(c) ? c.fisherLabels().configName() : null,
                    c.tasks().count(), c.tasks().kind().configName(), c.model().hidden().toString(),
                    c.model().activation(), c.training().learningRate(), c.training().batchSize(),
                    c.training().epochs(), c.training().retrainEpochs(), c.training().optimizerReset().configName(),
                    c.model().init().configName(), c.spark().procedure(), c.spark().workers(),
                    c.spark().averagingFrequency());
        }
    }

    /**
     * One task of the run: capacity, kept weights, Fisher mass (null where the run does not define them) and wall
     * time per phase.
     */
    @JsonPropertyOrder({"task", "free_at_start", "capacity_owned", "kept_weights", "fisher_mass_kept", "millis"})
    public record Task(
            @JsonProperty("task") int task,
            @JsonProperty("free_at_start") Double freeAtStart,
            @JsonProperty("capacity_owned") Double capacityOwned,
            @JsonProperty("kept_weights") int keptWeights,
            @JsonProperty("fisher_mass_kept") Double fisherMassKept,
            @JsonProperty("millis") Map<String, Long> millis) {

        public Task {
            millis = Collections.unmodifiableMap(new LinkedHashMap<>(millis == null ? Map.of() : millis));
        }

        /** The summary of {@code record}; every phase is listed, in the order of {@link Phase}. */
        public static Task of(TaskRecord record) {
            return new Task(record.task(), orNull(record.freeAtStart()), orNull(record.capacityOwned()),
                    record.keptWeights(), orNull(record.fisherMassKept()), Phase.byName(record.millisByPhase()));
        }
    }
}
