/**
 * The multi-head MLP: task networks (shared trunk plus one softmax head, or every head side by side for joint
 * training with its block-wise softmax loss), their parameter layout, and the learner's state between tasks.
 */
package dev.fisherpacknet.core.model;
