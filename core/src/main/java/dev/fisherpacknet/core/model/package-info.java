/**
 * The multi-head MLP: task networks (shared trunk plus one softmax head), their parameter layout, and the learner's state between tasks.
 */
package dev.fisherpacknet.core.model;
