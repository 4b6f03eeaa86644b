/**
 * One continual-learning run, task by task (train, Fisher, select, retrain, evaluate), the baselines that do not
 * prune (finetune, EWC, joint training), and their results: the accuracy matrix R, ACC, BWT and per-task records.
 */
package dev.fisherpacknet.core.run;
