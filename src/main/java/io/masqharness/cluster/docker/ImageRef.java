package io.masqharness.cluster.docker;

/**
 * Image references as containerd names them: {@code rancher/mirrored-pause:3.6} is
 * {@code docker.io/rancher/mirrored-pause:3.6}, {@code foo:1} is {@code docker.io/library/foo:1}
 * (the same normalisation containerd applies when it imports a Docker archive).
 */
public final class ImageRef {

    private ImageRef() {
    }

    public static String normalize(String reference) {
        String ref = reference.strip();
        int slash = ref.indexOf('/');
        String first = slash < 0 ? "" : ref.substring(0, slash);
        boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasRegistry) {
            ref = "docker.io/" + (slash < 0 ? "library/" : "") + ref;
        }
        String lastPart = ref.substring(ref.lastIndexOf('/') + 1);
        if (!lastPart.contains(":") && !lastPart.contains("@")) {
            ref = ref + ":latest";
        }
        return ref;
    }

    /** The registry host a reference is pulled from ({@code docker.io} for Docker Hub names). */
    public static String registry(String reference) {
        String n = normalize(reference);
        return n.substring(0, n.indexOf('/'));
    }
}
