package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigName;

/** How the report computes a confidence interval of a mean over seeds ({@code report.interval}). */
public enum IntervalMethod implements ConfigName {
    /** Student's t-interval: mean ± t_{(1+c)/2, n-1} · sd / √n; exact for normally distributed values. */
    T,
    /** Percentile bootstrap of the mean, seeded: no normality assumption, but needs many seeds to mean much. */
    BOOTSTRAP
}
