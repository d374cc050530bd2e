package io.masqharness.cluster.k3s;

import java.util.List;
import java.util.Map;

/**
 * One container of a K3s cluster, as it will be created: what {@code plan} prints and what the
 * backend starts are the same object.
 *
 * @param mounts   Docker mounts and the mounts the entrypoint makes inside, with their propagation
 * @param env      environment; secret values are never stored here, only a placeholder
 * @param copied   files copied in before start (image tars K3s imports at boot)
 * @param waitFor  the readiness condition and its bound
 */
public record ContainerPlan(String name, String role, String image, String ip, List<String> entrypoint,
                            List<String> command, List<Mount> mounts, List<String> capabilities, boolean privileged,
                            String cgroupns, Map<String, String> env, List<String> copied, String waitFor) {

    /** @param kind "bind", "tmpfs" or "entrypoint" (made inside the node before K3s starts) */
    public record Mount(String kind, String source, String target, String propagation) {
        @Override
        public String toString() {
            return kind + " " + (source.isEmpty() ? "" : source + " -> ") + target + (propagation.isEmpty() ? "" : " (" + propagation + ")");
        }
    }
}
