package dev.fisherpacknet.core.run;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where runs find and leave task-0 states, so the grid points of one seed train task 0 and compute its Fisher
 * once ({@link TaskZeroKey}).
 */
public interface TaskZeroCache {

    /** The state stored under {@code key}, if any. */
    Optional<TaskZeroState> find(TaskZeroKey key);

    /** Offers {@code state}; a cache may keep it or not. */
    void store(TaskZeroKey key, TaskZeroState state);

    /** Keeps nothing: every run computes its own task 0. */
    TaskZeroCache NONE = new TaskZeroCache() {
        @Override
        public Optional<TaskZeroState> find(TaskZeroKey key) {
            return Optional.empty();
        }

        @Override
        public void store(TaskZeroKey key, TaskZeroState state) {
        }
    };

    /** A cache that keeps every state offered, in memory, for the life of the object. */
    static TaskZeroCache inMemory() {
        Map<TaskZeroKey, TaskZeroState> states = new ConcurrentHashMap<>();
        return new TaskZeroCache() {
            @Override
            public Optional<TaskZeroState> find(TaskZeroKey key) {
                return Optional.ofNullable(states.get(key));
            }

            @Override
            public void store(TaskZeroKey key, TaskZeroState state) {
                states.putIfAbsent(key, state);
            }
        };
    }

    /** A read-only view of states computed elsewhere (e.g. broadcast to executors). */
    static TaskZeroCache of(Map<TaskZeroKey, TaskZeroState> states) {
        Map<TaskZeroKey, TaskZeroState> copy = Map.copyOf(states);
        return new TaskZeroCache() {
            @Override
            public Optional<TaskZeroState> find(TaskZeroKey key) {
                return Optional.ofNullable(copy.get(key));
            }

            @Override
            public void store(TaskZeroKey key, TaskZeroState state) {
            }
        };
    }
}
