package dev.fisherpacknet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configuration reference in docs/ lists every key of defaults.conf, and no other. */
class ConfigurationDocsTest {

    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z][a-z0-9.-]*)` \\|", Pattern.MULTILINE);

    @Test
    void theReference_documentsExactlyTheKeysOfDefaultsConf() throws IOException {
        assertTrue(Files.isRegularFile(REFERENCE), "the configuration reference at " + REFERENCE.toAbsolutePath());
        TreeSet<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(Files.readString(REFERENCE));
        while (row.find()) {
            documented.add(row.group(1));
        }
        TreeSet<String> keys = new TreeSet<>();
        leaves(ConfigLoader.defaults().root(), "", keys);

        TreeSet<String> missing = new TreeSet<>(keys);
        missing.removeAll(documented);
        TreeSet<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(keys);
        assertEquals("", (missing.isEmpty() ? "" : "undocumented keys: " + missing)
                + (unknown.isEmpty() ? "" : " documented keys that do not exist: " + unknown));
    }

    private static void leaves(ConfigObject object, String prefix, TreeSet<String> out) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            if (entry.getValue() instanceof ConfigObject child) {
                leaves(child, path, out);
            } else {
                out.add(path);
            }
        }
    }
}
