/**
 * The multi-head MLP: task networks (shared trunk plus one softmax head, or every head side by side for joint
 * training with its block-wise softmax loss), their configuration and parameter layout.
 */
package dev.fisherpacknet.core.model;
