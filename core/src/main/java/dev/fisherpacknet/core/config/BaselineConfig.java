package dev.fisherpacknet.core.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A baseline run's method ({@code baselines}, {@code ewc.*}). The EWC fields are meaningful for {@link Baseline#EWC}
 * only; the other baselines carry λ = 0, {@link EwcMode#SEPARATE} and γ = 1 so that equal methods are equal records.
 *
 * @param kind   finetune, ewc or joint
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

    /** EWC with strength {@code lambda}, combining penalties by {@code mode}, decaying by {@code gamma} if online. */
    public static BaselineConfig ewc(double lambda, EwcMode mode, double gamma) {
        return new BaselineConfig(Baseline.EWC, lambda, mode, mode == EwcMode.ONLINE ? gamma : 1);
    }

    /**
     * The method's name in results and reports: {@code finetune}, {@code joint}, or {@code ewc-l<λ>-<mode>} (e.g.
     * {@code ewc-l100-online}), so that runs of several λ or modes stay apart in every table.
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
}
