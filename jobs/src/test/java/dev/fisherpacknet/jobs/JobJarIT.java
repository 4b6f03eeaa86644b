package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.jobs.io.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The job jar that spark-submit ships: the project's classes, and no benchmark or test-only class among them. */
class JobJarIT {

    @Test
    void jobJar_holdsTheEntryPointsAndBackends_butNoBenchmarkOrTestClass() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("fisher-packnet-jobs-.*-job\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no job jar in target/; run mvn package"));
        }
        try (JarFile job = new JarFile(jar.toFile())) {
            List<String> ours = job.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("dev/fisherpacknet/") && n.endsWith(".class")).toList();

            assertTrue(ours.contains("dev/fisherpacknet/jobs/SweepJob.class"), "the main class");
            assertTrue(ours.contains("dev/fisherpacknet/jobs/spark/TaskProbe.class"), "the probe interface");
            assertTrue(ours.contains("dev/fisherpacknet/core/config/ConfigLoader.class"), "the core library");
            assertEquals(List.of(), ours.stream().filter(n -> n.startsWith("dev/fisherpacknet/bench/")
                    || n.contains("Bench") || n.contains("InjectedFaults")
                    || n.matches(".*/[A-Za-z0-9]*(IT|Test)(\\$[^/]*)?\\.class"))
                    .toList(), "benchmark or test-only classes in " + jar);
        }
    }

    @Test
    void buildInfo_findsThePropertiesTheBuildWrote() {
        assertTrue(BuildInfo.javaOpens().contains("--add-opens"), "java17.opens: " + BuildInfo.javaOpens());
        assertTrue(BuildInfo.properties().size() > 1, "build.properties: " + BuildInfo.properties());
    }
}
