package dev.fisherpacknet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigFingerprintTest {

    private static ConfigFingerprint of(String hocon) {
        return ConfigFingerprint.of(ConfigLoader.fromConfig(ConfigFactory.parseString(hocon), "test"));
    }

    @Test
    void sameSettingsWrittenOtherwise_haveTheSameFingerprint() {
        assertEquals(of("prune { ratio = [0.5, 0.7] }\nseed = 1").sha256(),
                of("seed = 1, prune.ratio = [0.5,0.7], training.epochs = 5").sha256());
    }

    @Test
    void whereThingsAreKept_isNotPartOfIt() {
        // when
        ConfigFingerprint a = of("output.dir = a, data.cache-dir = /tmp/x");
        ConfigFingerprint b = of("output.dir = b");

        // then
        assertEquals(a, b);
        assertFalse(a.values().containsKey("output.dir"));
        assertEquals(Map.of(), ConfigFingerprint.ofValues(Map.of("output.dir", "c")).values());
    }

    @Test
    void anyOtherKey_changesIt_andIsNamedWithBothValues() {
        // when
        ConfigFingerprint before = of("prune.ratio = 0.5, model.hidden = [8]");
        ConfigFingerprint after = of("prune.ratio = 0.6, model.hidden = [8, 8]");

        // then
        assertNotEquals(before.sha256(), after.sha256());
        assertEquals(List.of("model.hidden: [8] there, [8,8] now", "prune.ratio: 0.5 there, 0.6 now"),
                after.differencesFrom(before));
        assertEquals(List.of(), after.differencesFrom(after));
    }

    @Test
    void aKeyOnlyOneSideHas_isNamedAsNotSet() {
        ConfigFingerprint recorded = ConfigFingerprint.ofValues(Map.of("seed", "1", "retired.key", "x"));
        ConfigFingerprint now = ConfigFingerprint.ofValues(Map.of("seed", "1", "new.key", "y"));
        assertEquals(List.of("new.key: (not set) there, y now", "retired.key: x there, (not set) now"),
                now.differencesFrom(recorded));
    }
}
