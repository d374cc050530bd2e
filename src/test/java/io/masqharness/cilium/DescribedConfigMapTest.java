package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layout of {@code kubectl describe configmap} (k8s.io/kubectl describe.go, {@code describeConfigMap}): {@code key:}, {@code ----}, the value as stored. */
class DescribedConfigMapTest {

    @Test
    void aValueKeepsItsLinesAndIndentationButNotTheBlankLinesAfterIt() {
        DescribedConfigMap d = DescribedConfigMap.parse("Name:         x\nNamespace:    kube-system\n\nData\n====\nconfig:\n----\n"
                + "a:\n  b: 1\n\n\nother:\n----\nv\n\nBinaryData\n====\n\nEvents:  <none>\n").orElseThrow();
        assertThat(d.name()).isEqualTo("x");
        assertThat(d.data()).containsExactly(Map.entry("config", "a:\n  b: 1"), Map.entry("other", "v"));
    }

    @Test
    void aWholeIndentedPasteLosesTheIndentationItsKeysHave() {
        DescribedConfigMap d = DescribedConfigMap.parse("    Data\n    ====\n    config:\n    ----\n    a:\n      b: 1\n").orElseThrow();
        assertThat(d.name()).isEmpty();
        assertThat(d.data()).containsExactly(Map.entry("config", "a:\n  b: 1"));
    }

    @Test
    void theEndsOfTheTextAreNotKeysOrHeadings() {
        assertThat(DescribedConfigMap.parse("Name: x\nData")).isEmpty();
        assertThat(DescribedConfigMap.parse("Data\n====\nconfig:\n----\nv\nlast:")).hasValueSatisfying(d ->
                assertThat(d.data()).containsExactly(Map.entry("config", "v\nlast:")));
        assertThat(DescribedConfigMap.parse("Data\n====\n:\n----\nv\n")).hasValueSatisfying(d -> assertThat(d.data()).isEmpty());
        assertThat(DescribedConfigMap.parse("Data\n====\nk:\n----\nv\nk2:\n----")).hasValueSatisfying(d ->
                assertThat(d.data()).containsExactly(Map.entry("k", "v"), Map.entry("k2", "")));
    }
}
