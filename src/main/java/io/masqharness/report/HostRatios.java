package io.masqharness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pod path relative to the host path of the same trials. Both are measured from one node in
 * the same trial, one after the other, so a machine that got slower (CPU contention, a slower VM, a
 * busy neighbour) slows both and the ratio stays; a slowdown confined to the pod's path (the one the
 * masquerading is on) moves it. A latency gate against history judges this ratio.
 */
public final class HostRatios {

    /** How a ratio row names its path: the pod path over its host path. */
    public static final String SEPARATOR = "/";

    private HostRatios() {
    }

    /** {@code pod} and {@code pod-ipv6} have a host path to be judged against; host paths do not. */
    public static boolean podPath(String path) {
        return path.equals("pod") || path.startsWith("pod-");
    }

    /** The host path measured beside a pod path: {@code pod} → {@code host}, {@code pod-ipv6} → {@code host-ipv6}. */
    public static String hostPath(String podPath) {
        return "host" + podPath.substring("pod".length());
    }

    /** The name of a ratio row's path: {@code pod/host}. */
    public static String ratioPath(String podPath) {
        return podPath + SEPARATOR + hostPath(podPath);
    }

    /** The host series of the same mode, kind and loop as {@code pod}, among {@code groups}. */
    public static <T extends TrialSeries> Optional<T> hostOf(TrialSeries pod, List<T> groups) {
        String host = hostPath(pod.path());
        return groups.stream().filter(g -> g.mode().equals(pod.mode()) && g.kind().equals(pod.kind()) && g.loop().equals(pod.loop())
                && g.path().equals(host)).findFirst();
    }

    /** Per trial measured on both paths and usable on both for {@code metric}: pod value / host value. */
    public static List<Double> of(TrialSeries pod, TrialSeries host, String metric) {
        List<Long> p = pod.trials(metric);
        List<Long> h = host.trials(metric);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(p.size(), h.size()); i++) {
            if (!pod.leftOut(metric).contains(i) && !host.leftOut(metric).contains(i) && h.get(i) > 0) {
                ratios.add((double) p.get(i) / h.get(i));
            }
        }
        return ratios;
    }
}
