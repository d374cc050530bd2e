package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

/** A DaemonSet's rollout progress, as {@code kubectl rollout status} judges it. */
record Rollout(long generation, long observedGeneration, int desired, int updated, int ready, int unavailable) {

    static Rollout of(DaemonSet ds) {
        DaemonSetStatus s = ds.getStatus();
        long generation = ds.getMetadata().getGeneration() == null ? 0 : ds.getMetadata().getGeneration();
        if (s == null) {
            return new Rollout(generation, -1, -1, 0, 0, 0);
        }
        return new Rollout(generation, s.getObservedGeneration() == null ? -1 : s.getObservedGeneration(),
                n(s.getDesiredNumberScheduled()), n(s.getUpdatedNumberScheduled()), n(s.getNumberReady()), n(s.getNumberUnavailable()));
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    boolean complete() {
        return observedGeneration >= generation && desired >= 0 && updated == desired && ready == desired && unavailable == 0;
    }

    @Override
    public String toString() {
        return "generation " + observedGeneration + "/" + generation + ", updated " + updated + "/" + desired
                + ", ready " + ready + "/" + desired + ", unavailable " + unavailable;
    }
}
