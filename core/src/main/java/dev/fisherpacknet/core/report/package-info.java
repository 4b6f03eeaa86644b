/**
 * The sweep's report: per-run metrics beyond ACC and BWT (forgetting per task, forward transfer against a
 * baseline, Fisher mass kept against capacity), paired differences between scores over seeds with confidence
 * intervals and verdicts in words, XChart plots (PNG and SVG), and a self-contained HTML page plus a Markdown
 * summary. Pure Java and AWT in headless mode: no Spark, no server, no network.
 */
package dev.fisherpacknet.core.report;
