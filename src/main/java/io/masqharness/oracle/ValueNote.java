package io.masqharness.oracle;

/**
 * A Helm value a Cilium version reads differently from how it was written: refused by Helm, ignored
 * by the chart, or deprecated. {@link #mustChange()} is false for deprecations (the value still works).
 *
 * @param key        the dotted Helm key as written
 * @param problem    what this version does with it
 * @param suggestion what to write instead (or "remove it")
 */
public record ValueNote(String key, Kind kind, String problem, String suggestion, VersionRule rule) {

    public enum Kind { REFUSED, IGNORED, DEPRECATED }

    public boolean mustChange() {
        return kind != Kind.DEPRECATED;
    }

    @Override
    public String toString() {
        return key + ": " + problem + " -> " + suggestion;
    }
}
