package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.report.Environment;
import dev.fisherpacknet.core.report.Report;
import dev.fisherpacknet.core.report.ReportInput;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.jobs.io.BuildInfo;
import dev.fisherpacknet.jobs.io.Manifest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.api.java.JavaSparkContext;

/** The end of a sweep: its report ({@code report.html}, {@code report.md}, {@code plots/}) beside its results. */
final class SweepReport {
    private SweepReport() {
    }

    /**
     * Writes the report of {@code results}; the runs of {@code failures} diverged and those of {@code notRun} were
     * not started ({@code --fail-fast}), and the report lists them. {@code finished} is the instant the manifest
     * records, so that the report drawn now and the one drawn again from the folder give the same wall time. The
     * results are already on disk when this runs, so a report that cannot be drawn is a warning with the way to
     * redraw it, not a failed sweep.
     */
    static Optional<Report.Written> write(Path dir, SweepConfig sweep, JavaSparkContext sc, List<RunResult> results,
                                          List<RunFailure> failures, List<String> notRun, Instant started,
                                          Instant finished, PrintStream out) {
        try {
            Report.Written written = Report.write(dir, ReportInput.of(sweep, results, failures, notRun,
                    environment(sc, started, finished)));
            out.println("Report in " + written.html().toAbsolutePath());
            return Optional.of(written);
        } catch (RuntimeException e) {
            out.println("warning: the report could not be written (" + e + "); the results are complete, and"
                    + " ./submit.sh --report " + dir + " draws it again");
            return Optional.empty();
        }
    }

    /** Versions, driver and Spark facts, as the manifest records them. */
    static Environment environment(JavaSparkContext sc, Instant started, Instant finished) {
        Properties build = BuildInfo.properties();
        return new Environment(build.getProperty("project.version", "unknown"),
                build.getProperty("dl4j.version", "unknown"), sc.version(), System.getProperty("java.version"),
                Environment.thisOs(), Runtime.getRuntime().availableProcessors(), sc.master(),
                sc.defaultParallelism(), Manifest.gitCommit(), started, finished);
    }
}
