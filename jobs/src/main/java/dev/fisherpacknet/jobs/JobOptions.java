package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep job's command line:
 * {@code CONF [--set key=value ...] [--master URL] [--conf spark.key=value ...] [--out DIR] [--force] [--fail-fast]
 * [--help]}.
 *
 * @param config    the experiment file
 * @param overrides config overrides, in order
 * @param master    the Spark master, if given
 * @param sparkConf Spark properties to set on the session, in the order given
 * @param outputDir replaces {@code output.dir}, if given
 * @param force     whether results of a different config in the output folder are moved aside rather than
 *                  refused ({@link dev.fisherpacknet.core.results.SweepOutput})
 * @param failFast  whether the sweep stops at the first run that diverges instead of going on with the others
 * @param help      whether to print the usage and stop
 */
record JobOptions(Path config, List<String> overrides, Optional<String> master, Map<String, String> sparkConf,
                  Optional<Path> outputDir, boolean force, boolean failFast, boolean help) {

    static final String USAGE = """
            Usage: submit.sh [CONF] [--set key=value ...] [--master URL] [--conf spark.key=value ...] [--out DIR]
                             [--force] [--fail-fast] [--help]

            Runs the sweep that the experiment file CONF describes (default conf/permuted-mnist.conf): every point
            of its grid (list-valued keys such as prune.ratio, prune.score, seed) as one continual-learning run in
            one Spark application, then writes the results and prints the ACC / BWT table.

              CONF               experiment file (HOCON); every key is documented in docs/configuration.md
              --set key=value    override one config key, e.g. --set prune.ratio=0.7 or
                                 --set 'prune.score=[fisher, magnitude]'; may be repeated, later ones win
              --master URL       Spark master (local[2], spark://host:7077, yarn, k8s://...);
                                 default: the launcher's, else spark.master of the config (local[*])
              --conf spark.key=value
                                 set a Spark property on the session, in local mode as on a cluster, e.g.
                                 --conf spark.serializer=org.apache.spark.serializer.KryoSerializer;
                                 may be repeated, later ones win
              --out DIR          output folder, replacing output.dir
              --force            if the output folder holds results of a different config, move them into
                                 DIR/previous-<time>/ and start afresh (without it the sweep refuses);
                                 nothing is deleted, and another running sweep's lock is never overridden
              --fail-fast        stop at the first run that diverges (NaN or infinity in the loss, parameters or
                                 Fisher); without it the failure is recorded and the other runs go on
              --help             print this text and exit

            The same config run again into its folder resumes it: finished runs are kept, unfinished ones go on
            from their last finished task, and the results equal those of an uninterrupted sweep.
            Exit status: 0 on success, 2 for bad input (config, data, output folder, folder in use by another
            sweep), 3 if one or more runs diverged (the others' results are written), 1 for anything else.
            """;

    /** Parses {@code args}; unknown options and missing values are configuration errors. */
    static JobOptions parse(String[] args) {
        Path config = null;
        List<String> overrides = new ArrayList<>();
        String master = null;
        Map<String, String> sparkConf = new LinkedHashMap<>();
        Path out = null;
        boolean force = false;
        boolean failFast = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--set" -> overrides.add(value(args, ++i, arg));
                case "--master" -> master = value(args, ++i, arg);
                case "--conf" -> sparkProperty(value(args, ++i, arg), sparkConf);
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--force" -> force = true;
                case "--fail-fast" -> failFast = true;
                default -> {
                    if (arg.startsWith("--set=")) {
                        overrides.add(arg.substring("--set=".length()));
                    } else if (arg.startsWith("--conf=")) {
                        sparkProperty(arg.substring("--conf=".length()), sparkConf);
                    } else if (arg.startsWith("-")) {
                        throw new ConfigException("unknown option " + arg + "; run with --help to see the options");
                    } else if (config != null) {
                        throw new ConfigException("two config files given (" + config + " and " + arg
                                + "); give one, and use --set to change keys");
                    } else {
                        config = Path.of(arg);
                    }
                }
            }
        }
        if (config == null && !help) {
            throw new ConfigException("no config file given; e.g. conf/permuted-mnist.conf (see --help)");
        }
        return new JobOptions(config, List.copyOf(overrides), Optional.ofNullable(master),
                Collections.unmodifiableMap(sparkConf), Optional.ofNullable(out), force, failFast, help);
    }

    /** Adds {@code spark.key=value} to {@code into}; the master has its own option, so that it is set once. */
    private static void sparkProperty(String assignment, Map<String, String> into) {
        int equals = assignment.indexOf('=');
        String key = equals < 0 ? assignment : assignment.substring(0, equals).trim();
        if (equals < 0 || !key.startsWith("spark.") || key.length() == "spark.".length()) {
            throw new ConfigException("--conf takes spark.key=value, got '" + assignment + "'");
        }
        if (key.equals("spark.master")) {
            throw new ConfigException("--conf spark.master=...: use --master to choose the master");
        }
        into.put(key, assignment.substring(equals + 1).trim());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new ConfigException(option + " needs a value; run with --help to see the options");
        }
        return args[i];
    }
}
