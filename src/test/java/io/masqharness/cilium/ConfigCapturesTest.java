package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** cilium-config and ip-masq-agent configuration in every form they are captured in. */
class ConfigCapturesTest {

    @Test
    void dataUnderAHeadingWithTheOlderMasqueradeKey() {
        CiliumConfigCapture c = CiliumConfigCapture.parse(Golden.read("config/issue-10939-v1.6.5-heading.txt"));
        assertThat(c.data()).containsEntry("masquerade", "true").containsEntry("tunnel", "disabled")
                .containsEntry("enable-ipv4", "true").hasSize(17).doesNotContainKey("enable-ipv4-masquerade");
        assertThat(c.problems()).extracting(InputProblem::message).anyMatch(m -> m.contains("'Cilium config'"));
        ConfigKeys.Effective e = ConfigKeys.for113(c.data());
        assertThat(e.config()).containsEntry("enable-ipv4-masquerade", "true");
        assertThat(e.problems()).extracting(InputProblem::message).anyMatch(m -> m.contains("pre-1.10"));
    }

    @Test
    void configViewColumnsAfterAPrompt() {
        CiliumConfigCapture c = CiliumConfigCapture.parse(Golden.read("config/config-view-grep.txt"));
        assertThat(c.data()).containsExactly(java.util.Map.entry("ipv4-native-routing-cidr", "172.31.24.0/24"),
                java.util.Map.entry("ipv6-native-routing-cidr", "fd85:ee78:d8a6:8607::24:0/128"), java.util.Map.entry("routing-mode", "native"));
        assertThat(ConfigKeys.for113(c.data()).config()).containsEntry("tunnel", "disabled");
    }

    @Test
    void kubectlJsonAndOlderKeyBesideNewer() {
        CiliumConfigCapture c = CiliumConfigCapture.parse(Golden.read("config/composed-v1.13-kubectl-json.json"));
        assertThat(c.data()).containsEntry("enable-bpf-masquerade", "true").hasSize(9);
        assertThat(ConfigKeys.for113(c.data()).problems()).singleElement().satisfies(p ->
                assertThat(p.message()).contains("contradicts 'enable-ipv4-masquerade'=true"));
        assertThat(ConfigKeys.for113(c.data()).config()).containsEntry("enable-ipv4-masquerade", "true");
        CiliumConfigCapture jq = CiliumConfigCapture.parse("{\"tunnel\": \"vxlan\", \"kube-proxy-replacement\": \"true\"}");
        assertThat(ConfigKeys.for113(jq.data()).config()).containsEntry("kube-proxy-replacement", "strict");
    }

    @Test
    void mixedQuotingAndAnUnquotedBoolean() {
        CiliumConfigCapture c = CiliumConfigCapture.parse(Golden.read("config/composed-v1.13-mixed-quoting.yaml"));
        assertThat(c.data()).containsEntry("enable-bpf-masquerade", "false").containsEntry("enable-ipv4-masquerade", "true")
                .containsEntry("enable-ip-masq-agent", "false").containsEntry("ipv4-native-routing-cidr", "10.42.0.0/16");
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("'enable-ip-masq-agent' is an unquoted boolean"));
    }

    /** Issue 22: keys copied out of {@code data:} without it kept their indentation, which the YAML reader refused. */
    @Test
    void dataKeysPastedIndentedWithoutTheirDataWrapper() {
        CiliumConfigCapture c = CiliumConfigCapture.parse(Golden.read("config/issue-27756-v1.14.1-applied-keys-indented.yaml"));
        assertThat(c.data()).containsExactly(java.util.Map.entry("tunnel-protocol", "vxlan"), java.util.Map.entry("routing-mode", "native"));
        assertThat(c.problems()).isEmpty();
        assertThat(ConfigKeys.for113(c.data()).config()).containsEntry("tunnel", "disabled");
        CiliumConfigCapture tabs = CiliumConfigCapture.parse("\tkube-proxy-replacement: \"false\"\n\tenable-bpf-masquerade: \"true\"\n");
        assertThat(tabs.data()).containsEntry("kube-proxy-replacement", "false").containsEntry("enable-bpf-masquerade", "true");
        assertThat(ConfigKeys.for113(tabs.data()).config()).containsEntry("kube-proxy-replacement", "disabled");
    }

    @Test
    void aPasteWhoseFirstLineIsIndentedDeeperIsRefusedNotHalfRead() {
        assertThatThrownBy(() -> CiliumConfigCapture.parse("      masquerade: \"true\"\n  tunnel: disabled\n"))
                .isInstanceOf(CiliumInputException.class);
    }

    @Test
    void aKeyGivenTwiceIsReportedAndItsLastValueRead() {
        CiliumConfigCapture c = CiliumConfigCapture.parse(Golden.read("config/issue-27756-v1.14.1-rendered-duplicate-routing-mode.yaml"));
        assertThat(c.data()).containsEntry("routing-mode", "native").containsEntry("tunnel-protocol", "vxlan").hasSize(2);
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("'routing-mode' is given more than once"));
    }

    @Test
    void notesAfterConfigViewColumnsAreNotValuesButAHashInsideAValueIs() {
        CiliumConfigCapture view = CiliumConfigCapture.parse("routing-mode                                      native   # 原生路由\n"
                + "ipv4-native-routing-cidr                          10.0.0.0/8\n");
        assertThat(view.data()).containsEntry("routing-mode", "native").containsEntry("ipv4-native-routing-cidr", "10.0.0.0/8");
        assertThat(view.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("[1]").contains("notes"));
        CiliumConfigCapture yaml = CiliumConfigCapture.parse("  cluster-name: \"a # b\"\n  cluster-id: c#d\n  tunnel: vxlan # the default\n");
        assertThat(yaml.data()).containsEntry("cluster-name", "a # b").containsEntry("cluster-id", "c#d").containsEntry("tunnel", "vxlan");
    }

    @Test
    void describeOutputListsAndRefusals() {
        CiliumConfigCapture d = CiliumConfigCapture.parse("Name:         cilium-config\nNamespace:    kube-system\n\nData\n====\n"
                + "enable-bpf-masquerade:\n----\ntrue\ntunnel:\n----\ndisabled\n\nBinaryData\n====\n");
        assertThat(d.data()).containsEntry("enable-bpf-masquerade", "true").containsEntry("tunnel", "disabled");
        assertThat(d.problems()).isEmpty();
        assertThat(CiliumConfigCapture.parse("Name:  cilium-conf\n\nData\n====\ntunnel:\n----\nvxlan\n").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("named 'cilium-conf'"));
        CiliumConfigCapture empty = CiliumConfigCapture.parse("Name:         cilium-config\n\nData\n====\n\nBinaryData\n====\n\nEvents:  <none>\n");
        assertThat(empty.data()).isEmpty();
        assertThat(empty.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("no data"));
        CiliumConfigCapture list = CiliumConfigCapture.parse("{\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"other\"},\"data\":{\"a\":\"1\"}},"
                + "{\"metadata\":{\"name\":\"cilium-config\"},\"data\":{\"tunnel\":\"geneve\"}}]}");
        assertThat(list.data()).containsExactly(java.util.Map.entry("tunnel", "geneve"));
        assertThat(CiliumConfigCapture.parse("kind: ConfigMap\nmetadata: {name: x}\n").problems()).hasSize(2);
        assertThatThrownBy(() -> CiliumConfigCapture.parse("bpf:\n  masquerade: true\nipv6:\n  enabled: false\n"))
                .hasMessageContaining("Helm values");
        assertThatThrownBy(() -> CiliumConfigCapture.parse("just: a\nsentence with: colons\n- list")).isInstanceOf(CiliumInputException.class);
        assertThatThrownBy(() -> CiliumConfigCapture.parse("  \n")).hasMessageContaining("empty");
        assertThatThrownBy(() -> CiliumConfigCapture.parse("[1, 2]")).hasMessageContaining("ConfigMap");
    }

    @Test
    void ipMasqAgentFileWithCommentsAndItsConfigMap() {
        IpMasqAgentConfigCapture file = IpMasqAgentConfigCapture.parse(Golden.read("ip-masq-agent/zh-blog-file-with-comments.yaml"));
        assertThat(file.state()).isEqualTo(IpMasqAgentConfigCapture.State.PRESENT);
        assertThat(file.nonMasqueradeCidrs()).hasSize(12).startsWith("169.254.0.0/16", "11.8.37.4/32").endsWith("11.11.248.0/21");
        assertThat(file.masqLinkLocal()).isFalse();
        assertThat(file.problems()).isEmpty();
        IpMasqAgentConfigCapture cm = IpMasqAgentConfigCapture.parse(Golden.read("ip-masq-agent/zh-blog-configmap.yaml"));
        assertThat(cm.nonMasqueradeCidrs()).hasSize(11).startsWith("11.8.37.252/32");
        assertThat(cm.masqLinkLocal()).isFalse();
    }

    @Test
    void ipMasqAgentConfigAsHelmValuesJsonStringAndUnderTheWrongKey() {
        IpMasqAgentConfigCapture helm = IpMasqAgentConfigCapture.parse(Golden.read("ip-masq-agent/issue-20051-helm-values-block.yaml"));
        assertThat(helm.nonMasqueradeCidrs()).containsExactly("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
        assertThat(helm.problems()).extracting(InputProblem::message).anyMatch(m -> m.contains("Helm values"));
        IpMasqAgentConfigCapture json = IpMasqAgentConfigCapture.parse(Golden.read("ip-masq-agent/composed-json-string.yaml"));
        assertThat(json.nonMasqueradeCidrs()).containsExactly("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
        assertThat(json.masqLinkLocal()).isTrue();
        IpMasqAgentConfigCapture wrongKey = IpMasqAgentConfigCapture.parse(Golden.read("ip-masq-agent/issue-35501-config-yaml-key.yaml"));
        assertThat(wrongKey.state()).isEqualTo(IpMasqAgentConfigCapture.State.ABSENT);
        assertThat(wrongKey.nonMasqueradeCidrs()).isNull();
        assertThat(wrongKey.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("config.yaml")
                .contains("default CIDRs apply"));
        IpMasqAgentConfigCapture upstream = IpMasqAgentConfigCapture.parse(Golden.read("ip-masq-agent/k8s-64212-resync-interval.yaml"));
        assertThat(upstream.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("'resyncInterval'"));
        assertThat(upstream.masqLinkLocal()).isNull();
    }

    /** Issue 22: {@code kubectl describe configmap} of an ip-masq-agent config was refused as "not an ip-masq-agent config". */
    @Test
    void ipMasqAgentConfigAsKubectlDescribeConfigmap() {
        IpMasqAgentConfigCapture aks = IpMasqAgentConfigCapture.parse(Golden.read("ip-masq-agent/aks-describe-cm-reconciled.txt"));
        assertThat(aks.state()).isEqualTo(IpMasqAgentConfigCapture.State.ABSENT);
        assertThat(aks.problems()).hasSize(2).anySatisfy(p -> assertThat(p.message())
                .contains("named 'azure-ip-masq-agent-config-reconciled'")).anySatisfy(p -> assertThat(p.message())
                .contains("no key 'config'").contains("ip-masq-agent-reconciled"));
        // The AKS capture's layout with the ConfigMap and key Cilium mounts (composed: no public describe of one was found).
        String describe = "Name:         ip-masq-agent\nNamespace:    kube-system\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\n"
                + "config:\n----\nnonMasqueradeCIDRs:\n  - 10.224.0.0/16\n  - 10.0.0.0/16\nmasqLinkLocal: true\n\nBinaryData\n====\n\nEvents:  <none>\n";
        IpMasqAgentConfigCapture cm = IpMasqAgentConfigCapture.parse(describe);
        assertThat(cm.state()).isEqualTo(IpMasqAgentConfigCapture.State.PRESENT);
        assertThat(cm.nonMasqueradeCidrs()).containsExactly("10.224.0.0/16", "10.0.0.0/16");
        assertThat(cm.masqLinkLocal()).isTrue();
        assertThat(cm.problems()).isEmpty();
        IpMasqAgentConfigCapture indented = IpMasqAgentConfigCapture.parse(describe.lines().map(l -> "    " + l)
                .collect(java.util.stream.Collectors.joining("\n")));
        assertThat(indented.nonMasqueradeCidrs()).containsExactly("10.224.0.0/16", "10.0.0.0/16");
        IpMasqAgentConfigCapture json = IpMasqAgentConfigCapture.parse("Data\n====\nconfig:\n----\n"
                + "{\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\"],\"masqLinkLocal\":false}\n\nEvents:  <none>\n");
        assertThat(json.nonMasqueradeCidrs()).containsExactly("10.0.0.0/8");
        assertThat(json.masqLinkLocal()).isFalse();
        assertThat(IpMasqAgentConfigCapture.parse("Data\n====\nconfig:\n----\n\nEvents:  <none>\n").state())
                .as("a zero-length value is an empty file").isEqualTo(IpMasqAgentConfigCapture.State.EMPTY);
    }

    @Test
    void ipMasqAgentStatesAndValuesCiliumWouldReject() {
        assertThat(IpMasqAgentConfigCapture.parse("").state()).isEqualTo(IpMasqAgentConfigCapture.State.EMPTY);
        assertThat(IpMasqAgentConfigCapture.parse("data:\n  config: \"\"\n").state()).isEqualTo(IpMasqAgentConfigCapture.State.EMPTY);
        assertThat(IpMasqAgentConfigCapture.parse("{\"config\": \"{}\"}").state()).isEqualTo(IpMasqAgentConfigCapture.State.PRESENT);
        assertThat(IpMasqAgentConfigCapture.parse("\n").problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("whitespace"));
        IpMasqAgentConfigCapture bad = IpMasqAgentConfigCapture.parse("nonMasqueradeCIDRs: [10.0.0.0/8, nope, 10.1.0.0/33x]\nmasqLinkLocal: \"true\"\n");
        assertThat(bad.nonMasqueradeCidrs()).containsExactly("10.0.0.0/8", "nope", "10.1.0.0/33x");
        assertThat(bad.masqLinkLocal()).isNull();
        assertThat(bad.problems()).hasSize(3);
        assertThat(IpMasqAgentConfigCapture.parse("nonMasqueradeCIDRs: 10.0.0.0/8").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not a list"));
        assertThat(IpMasqAgentConfigCapture.parse("data:\n  config: \"::: [\"\n").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not YAML or JSON"));
        assertThatThrownBy(() -> IpMasqAgentConfigCapture.parse("enable-bpf-masquerade: \"true\"\n")).hasMessageContaining("not an ip-masq-agent config");
        assertThatThrownBy(() -> IpMasqAgentConfigCapture.parse("just text")).isInstanceOf(CiliumInputException.class);
        IpMasqAgentConfigCapture json = IpMasqAgentConfigCapture.parse("// the agent's file\n{\"nonMasqueradeCIDRs\": [\"10.0.0.0/8\"], \"masqLinkLocal\": true}");
        assertThat(json.masqLinkLocal()).isTrue();
    }
}
