/**
 * Saved runs: the checkpoint a run leaves after each finished task ({@code runs/<id>/checkpoint/}: the network as
 * a DL4J ModelSerializer file and the rest of the state in {@code state.json}), which a sweep resumes from and the
 * evaluate job loads; and the evaluation of a saved run on a task stream.
 */
package dev.fisherpacknet.core.saved;
