/**
 * One continual-learning run, task by task (train, Fisher, select, retrain, evaluate), and its results: the accuracy matrix R, ACC, BWT and per-task records.
 */
package dev.fisherpacknet.core.run;
