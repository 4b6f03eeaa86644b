package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.FisherPackNetException;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.report.Report;
import dev.fisherpacknet.core.report.ResultFolder;
import dev.fisherpacknet.core.results.SweepOutput;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a finished sweep's report again from its output folder ({@code manifest.json}, {@code accuracy.csv},
 * {@code tasks.csv}), e.g. with other comparisons or a bootstrap interval; no Spark and no training. {@link #main}
 * owns the process exit; {@link #execute} is what tests call.
 */
public final class ReportJob {
    static final String USAGE = """
            Usage: ./submit.sh --report DIR [--set report.key=value ...] [--help]

            Writes DIR/report.html, DIR/report.md and DIR/plots/ from the results of the finished sweep in DIR.

              DIR                a sweep's output folder (it holds manifest.json, accuracy.csv, tasks.csv)
              --set key=value    change a report setting for this drawing, e.g. --set report.interval=bootstrap
                                 or --set 'report.compare=[[fisher, random]]'; report.* keys only
              --help             print this text and exit

            Exit status: 0 on success, 2 for bad input (folder, files, settings), 1 for anything else.
            """;

    private ReportJob() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = execute(args, System.out, System.err);
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** Parses {@code args}, writes the report and returns the exit status (0, 2 bad input). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        try {
            Path dir = null;
            List<String> overrides = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    out.print(USAGE);
                    return 0;
                } else if (arg.equals("--set")) {
                    if (i + 1 >= args.length) {
                        throw new ConfigException("--set needs key=value; run with --help to see the options");
                    }
                    overrides.add(args[++i]);
                } else if (arg.startsWith("--set=")) {
                    overrides.add(arg.substring("--set=".length()));
                } else if (arg.startsWith("-")) {
                    throw new ConfigException("unknown option " + arg + "; run with --help to see the options");
                } else if (dir != null) {
                    throw new ConfigException("two folders given (" + dir + " and " + arg + "); give one");
                } else {
                    dir = Path.of(arg);
                }
            }
            if (dir == null) {
                throw new ConfigException("no folder given: the output folder of a finished sweep (see --help)");
            }
            SweepConfig sweep = ResultFolder.sweep(dir, overrides);
            Report.Written written;
            // Claimed as a sweep claims it: not while a sweep writes the folder, nor over results of another config.
            try (SweepOutput output = SweepOutput.claim(sweep, false)) {
                written = Report.write(dir, ResultFolder.read(dir, sweep));
            }
            out.println("Report in " + written.html().toAbsolutePath() + " (" + written.plots().size() + " plots, "
                    + written.markdown().getFileName() + " beside it)");
            return 0;
        } catch (FisherPackNetException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }
}
