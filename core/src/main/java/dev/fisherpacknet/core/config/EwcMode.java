package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigName;

/** How EWC combines the penalties of the tasks learned so far ({@code ewc.mode}). */
public enum EwcMode implements ConfigName {
    /** One penalty per past task, each with its own Fisher diagonal and anchor (Kirkpatrick et al.). */
    SEPARATE,
    /** One running penalty: F = gamma * F + F_t, anchored at the latest task's parameters (online EWC). */
    ONLINE
}
