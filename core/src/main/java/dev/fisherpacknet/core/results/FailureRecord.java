package dev.fisherpacknet.core.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunFailure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code runs/<id>/failure.json}: a run that diverged, written when it fails and read back when the sweep resumes
 * (a failed run is not run again). Bound with Jackson for writing and reading.
 *
 * @param id          the run's id
 * @param status      always {@code diverged}
 * @param task        the task during which it diverged
 * @param phase       the phase ({@code train}, {@code retrain}, ...)
 * @param reason      what was not finite
 * @param sweepValues the run's values of the swept keys
 * @param millis      wall time until it failed
 */
@JsonPropertyOrder({"id", "status", "task", "phase", "reason", "sweep_values", "millis"})
public record FailureRecord(
        @JsonProperty("id") String id,
        @JsonProperty("status") String status,
        @JsonProperty("task") int task,
        @JsonProperty("phase") String phase,
        @JsonProperty("reason") String reason,
        @JsonProperty("sweep_values") Map<String, String> sweepValues,
        @JsonProperty("millis") long millis) {

    /** The only status a failure record has. */
    public static final String DIVERGED = "diverged";

    public FailureRecord {
        sweepValues = Collections.unmodifiableMap(new LinkedHashMap<>(sweepValues == null ? Map.of() : sweepValues));
    }

    /** The record of {@code failure}. */
    public static FailureRecord of(RunFailure failure) {
        return new FailureRecord(failure.config().id(), DIVERGED, failure.task(), failure.phase().configName(),
                failure.reason(), failure.config().sweepValues(), failure.millis());
    }

    /** The failure this record describes, of {@code run} (the grid point with this record's id). */
    public RunFailure toFailure(RunConfig run) {
        return new RunFailure(run, task, Phase.valueOf(phase.toUpperCase(Locale.ROOT)), reason, millis);
    }
}
