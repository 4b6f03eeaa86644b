package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.config.ReportConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import java.util.List;
import java.util.Objects;

/**
 * Everything a report is made of: the sweep's identity and resolved config, its runs (pruned runs and, when there
 * are any, baselines), the environment it ran in, and the report's own settings.
 *
 * @param experiment the experiment's name
 * @param source     the config file and overrides it was read from
 * @param configText the fully resolved configuration
 * @param axes       the sweep's axes (config paths), outermost first
 * @param runs       every run, pruned and baseline
 * @param env        versions, machine, Spark master, timings
 * @param settings   comparisons, interval method, confidence
 * @param failures   one line per run of the sweep that is not among {@code runs} because it diverged, or because
 *                   {@code --fail-fast} stopped the sweep before it
 */
public record ReportInput(String experiment, String source, String configText, List<String> axes,
                          List<ReportRun> runs, Environment env, ReportConfig settings, List<String> failures) {
    public ReportInput {
        failures = List.copyOf(failures);
        Objects.requireNonNull(experiment);
        Objects.requireNonNull(source);
        Objects.requireNonNull(configText);
        axes = List.copyOf(axes);
        runs = List.copyOf(runs);
        Objects.requireNonNull(env);
        Objects.requireNonNull(settings);
    }

    /** The input of a sweep in which every run finished. */
    public ReportInput(String experiment, String source, String configText, List<String> axes,
                       List<ReportRun> runs, Environment env, ReportConfig settings) {
        this(experiment, source, configText, axes, runs, env, settings, List.of());
    }

    /** The input for a finished sweep's results, pruned runs and baselines alike. */
    public static ReportInput of(SweepConfig sweep, List<RunResult> results, Environment env) {
        return of(sweep, results, List.of(), env);
    }

    /** The input for a sweep's finished runs ({@code results}) and the runs that diverged ({@code failures}). */
    public static ReportInput of(SweepConfig sweep, List<RunResult> results, List<RunFailure> failures,
                                 Environment env) {
        return of(sweep, results, failures, List.of(), env);
    }

    /**
     * The input for a sweep's finished runs ({@code results}), the runs that diverged ({@code failures}) and the
     * runs that {@code --fail-fast} left unstarted ({@code notRun}, by id).
     */
    public static ReportInput of(SweepConfig sweep, List<RunResult> results, List<RunFailure> failures,
                                 List<String> notRun, Environment env) {
        List<String> leftOut = new java.util.ArrayList<>(failures.stream().map(RunFailure::describe).toList());
        notRun.forEach(id -> leftOut.add(notStarted(id)));
        return new ReportInput(sweep.name(), sweep.source(), sweep.resolvedText(), sweep.axes(),
                results.stream().map(r -> ReportRun.of(r, sweep.axes())).toList(), env, sweep.report(), leftOut);
    }

    /** The line of a run that {@code --fail-fast} left unstarted. */
    static String notStarted(String id) {
        return "run " + id + " was not started: --fail-fast stopped the sweep at its first failure (running the"
                + " sweep again computes it)";
    }
}
