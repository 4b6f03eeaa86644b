package dev.fisherpacknet.core.config;

import com.typesafe.config.ConfigValue;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.ConfigName;
import dev.fisherpacknet.core.ConfigValues;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A baseline run's method ({@code baselines}, {@code ewc.*}). The EWC fields are meaningful for {@link Baseline#EWC}
 * only; the other baselines carry λ = 0, {@link EwcMode#SEPARATE} and γ = 1 so that equal methods are equal records.
 *
 * @param kind   finetune, ewc, joint or feature-extraction
 * @param lambda EWC's penalty strength λ &gt;= 0
 * @param mode   separate penalties per past task, or one online penalty
 * @param gamma  online EWC's decay of the running Fisher, in (0, 1]
 */
public record BaselineConfig(Baseline kind, double lambda, EwcMode mode, double gamma)
        implements java.io.Serializable {
    public BaselineConfig {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(mode);
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        if (kind != Baseline.EWC && (lambda != 0 || mode != EwcMode.SEPARATE || gamma != 1)) {
            throw new IllegalArgumentException(kind.configName() + " has no EWC settings");
        }
    }

    /** Plain sequential fine-tuning. */
    public static BaselineConfig finetune() {
        return new BaselineConfig(Baseline.FINETUNE, 0, EwcMode.SEPARATE, 1);
    }

    /** Joint training on all tasks at once. */
    public static BaselineConfig joint() {
        return new BaselineConfig(Baseline.JOINT, 0, EwcMode.SEPARATE, 1);
    }

    /** Task 0's trunk frozen for every later task, whose head trains alone. */
    public static BaselineConfig featureExtraction() {
        return new BaselineConfig(Baseline.FEATURE_EXTRACTION, 0, EwcMode.SEPARATE, 1);
    }

    /** EWC with strength {@code lambda}, combining penalties by {@code mode}, decaying by {@code gamma} if online. */
    public static BaselineConfig ewc(double lambda, EwcMode mode, double gamma) {
        return new BaselineConfig(Baseline.EWC, lambda, mode, mode == EwcMode.ONLINE ? gamma : 1);
    }

    /**
     * The method's name in results and reports: {@code finetune}, {@code joint}, {@code feature-extraction}, or
     * {@code ewc-l<λ>-<mode>} (e.g. {@code ewc-l100-online}), so that runs of several λ or modes stay apart in every
     * table.
     */
    public String label() {
        if (kind != Baseline.EWC) {
            return kind.configName();
        }
        return "ewc-l" + plain(lambda) + "-" + mode.configName();
    }

    /** A number as the shortest plain decimal: 100, 0.5, 1000. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /**
     * Reads {@code baselines} and, for ewc, {@code ewc.*}: the baseline methods in the order the user listed them,
     * each EWC λ and mode its own method.
     */
    static List<BaselineConfig> readAll(ConfigValues v) {
        List<Baseline> kinds = distinctChoices(v, "baselines", Baseline.class, true,
                "; list each baseline once (ewc.lambda and ewc.mode make several EWC runs)");
        // Validated whether or not ewc runs, so that a typo does not wait for the day ewc is switched on.
        List<Double> lambdas = new ArrayList<>();
        List<ConfigValue> lambdaValues = v.listOrOne("ewc.lambda", false);
        for (int i = 0; i < lambdaValues.size(); i++) {
            ConfigValue value = lambdaValues.get(i);
            String label = v.elementLabel("ewc.lambda", i);
            if (!(value.unwrapped() instanceof Number number) || !(number.doubleValue() >= 0)
                    || Double.isInfinite(number.doubleValue())) {
                throw new ConfigException(label + " must be a number >= 0 (the EWC penalty's strength), got "
                        + ConfigValues.render(value) + " " + ConfigValues.where(value));
            }
            if (lambdas.contains(number.doubleValue())) {
                throw new ConfigException(label + " repeats " + ConfigValues.render(value) + " "
                        + ConfigValues.where(value) + "; list each value once");
            }
            lambdas.add(number.doubleValue());
        }
        List<EwcMode> modes = distinctChoices(v, "ewc.mode", EwcMode.class, false, "; list each mode once");
        double gamma = v.doubleIn("ewc.gamma", 0, false, 1, true);
        List<BaselineConfig> methods = new ArrayList<>();
        for (Baseline kind : kinds) {
            switch (kind) {
                case FINETUNE -> methods.add(finetune());
                case JOINT -> methods.add(joint());
                case FEATURE_EXTRACTION -> methods.add(featureExtraction());
                case EWC -> {
                    for (double lambda : lambdas) {
                        for (EwcMode mode : modes) {
                            methods.add(ewc(lambda, mode, gamma));
                        }
                    }
                }
                default -> throw new IllegalStateException(kind.toString());
            }
        }
        return methods;
    }

    private static <E extends Enum<E> & ConfigName> List<E> distinctChoices(ConfigValues v, String path,
                                                                           Class<E> type, boolean emptyAllowed,
                                                                           String repeatHint) {
        List<E> chosen = new ArrayList<>();
        List<ConfigValue> values = v.listOrOne(path, emptyAllowed);
        for (int i = 0; i < values.size(); i++) {
            ConfigValue value = values.get(i);
            String label = v.elementLabel(path, i);
            Optional<E> choice = value.unwrapped() instanceof String s ? ConfigName.parse(type, s) : Optional.empty();
            if (choice.isEmpty()) {
                throw new ConfigException(label + " must be one of " + ConfigName.choices(type) + ", got "
                        + ConfigValues.render(value) + " " + ConfigValues.where(value));
            }
            if (chosen.contains(choice.get())) {
                throw new ConfigException(label + " repeats " + choice.get().configName() + " "
                        + ConfigValues.where(value) + repeatHint);
            }
            chosen.add(choice.get());
        }
        return chosen;
    }
}
