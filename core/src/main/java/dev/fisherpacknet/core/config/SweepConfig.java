package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.data.DataConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A validated experiment: shared settings plus the expanded grid of runs.
 *
 * @param name         the experiment's name
 * @param data         where examples come from (shared by every run)
 * @param outputDir    where results go
 * @param sparkMaster  the master to use when the launcher names none
 * @param mode         how runs are spread over the cluster
 * @param treeDepth    depth of the tree reductions of Fisher sums and averaged replicas ({@code spark.tree-depth})
 * @param axes         config paths that vary across runs, outermost first
 * @param runs         every grid point, in execution order
 * @param resolvedText the fully resolved configuration, for the manifest
 * @param source       the file (and overrides) it was read from, for messages and the manifest
 * @param report       what the report compares and how
 */
public record SweepConfig(String name, DataConfig data, Path outputDir, String sparkMaster, ExecutionMode mode,
                          int treeDepth, List<String> axes,
                          List<RunConfig> runs, String resolvedText, String source, ReportConfig report) {
    public SweepConfig {
        Objects.requireNonNull(name);
        Objects.requireNonNull(data);
        Objects.requireNonNull(outputDir);
        Objects.requireNonNull(sparkMaster);
        Objects.requireNonNull(mode);
        if (treeDepth < 1) {
            throw new IllegalArgumentException("treeDepth must be >= 1, got " + treeDepth);
        }
        axes = List.copyOf(axes);
        runs = List.copyOf(runs);
        Objects.requireNonNull(resolvedText);
        Objects.requireNonNull(source);
        Objects.requireNonNull(report);
    }
}
