package io.masqharness.oracle;

/** Helm itself fails to render the chart with these values (a {@code fail} in the chart's templates). */
public class HelmRefusedException extends RefusedConfigurationException {
    public HelmRefusedException(String message, VersionRule rule) {
        super(message, rule, java.util.List.of());
    }

    @Override
    public String by() {
        return "helm";
    }
}
