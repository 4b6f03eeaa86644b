package dev.fisherpacknet.core.results;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.FisherPackNetException;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.SweepConfig;
import java.io.IOException;

/**
 * Child-JVM helper for {@link SweepOutputTest}: claims the output folder {@code args[0]} for a sweep of the config
 * {@code args[1]} (HOCON), prints {@code claimed}, holds the folder until its stdin closes, then releases it. On a
 * refusal it prints {@code error: <message>} and exits with status 2, as the job does.
 */
public final class HoldOutputMain {
    private HoldOutputMain() {
    }

    public static void main(String[] args) throws IOException {
        SweepConfig sweep = ConfigLoader.fromConfig(ConfigFactory.parseString(args[1])
                .withFallback(ConfigFactory.parseString("output.dir = \"" + args[0].replace("\\", "\\\\") + "\"")),
                "child.conf");
        try (SweepOutput output = SweepOutput.claim(sweep, false)) {
            System.out.println("claimed by pid " + ProcessHandle.current().pid());
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (FisherPackNetException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(2);
        }
        System.out.println("released");
    }
}
