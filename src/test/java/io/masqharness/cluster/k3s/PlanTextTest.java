package io.masqharness.cluster.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlanTextTest {

    static final Scenario TOGGLE = new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml"));

    @Test
    void k3sPlanShowsEveryImageFlagMountAndValueInOrder() {
        String plan = PlanText.k3s(new K3sPlan(TOGGLE, "masq-harness-probe:abc"));
        assertThat(plan).containsSubsequence(
                "images:", "rancher/k3s:v1.26.6-k3s1", "rancher/mirrored-pause:3.6", "quay.io/cilium/cilium:v1.13.4",
                "quay.io/cilium/operator-generic:v1.13.4", "masq-harness-probe:abc",
                "K3s add-ons disabled (traefik, servicelb, coredns, local-storage, metrics-server, the helm controller)",
                "free subnet chosen at start: 172.28.0.0/24 (the scenario's) when free",
                "start container node-1 [k3s server] at 172.28.0.11",
                "image:        rancher/k3s:v1.26.6-k3s1",
                "mount -t bpf bpffs /sys/fs/bpf && mount --make-shared /sys/fs/bpf",
                "ln -s /run /var/run",
                "mount -t cgroup2 none /run/cilium/cgroupv2 && mount --make-shared /run/cilium/cgroupv2",
                "exec /bin/k3s server --disable=traefik,servicelb,coredns,local-storage,metrics-server --disable-helm-controller",
                "--tls-san=172.28.0.11 --tls-san=<Docker host, as Testcontainers reaches it>",
                "--flannel-backend=none --disable-network-policy --disable-kube-proxy",
                "--cluster-cidr=10.42.0.0/16", "--pause-image=rancher/mirrored-pause:3.6",
                "mount:        tmpfs /run",
                "mount:        entrypoint symlink -> /var/run -> /run",
                "mount:        entrypoint bpffs -> /sys/fs/bpf (shared)",
                "mount:        entrypoint cgroup2 (the node's own cgroup) -> /run/cilium/cgroupv2 (shared)",
                "privileged; cgroupns=private",
                "K3S_TOKEN=<generated per run, never printed>",
                "rancher/mirrored-pause:3.6, quay.io/cilium/cilium:v1.13.4", "-> /var/lib/rancher/k3s/agent/images/",
                "not flannel's log line",
                "start container node-2 [k3s agent] at 172.28.0.12",
                "exec /bin/k3s agent --server=https://172.28.0.11:6443 --pause-image=rancher/mirrored-pause:3.6",
                "start container external",
                "check every node's mounts",
                "ip route replace 198.20.0.10/32 via 172.28.0.100",
                "k3s ctr -n k8s.io images ls -q",
                "helm install cilium cilium/cilium --version 1.13.4 -n kube-system -f <values file>",
                "k8sServiceHost: \"172.28.0.11\"", "tunnel: \"disabled\"", "ipv4NativeRoutingCIDR: \"10.42.0.0/16\"",
                "kubeProxyReplacement: \"strict\"",
                "pod-security.kubernetes.io/enforce=privileged",
                "== mode iptables", "--reuse-values -f <values file> setting bpf.masquerade=false",
                "delete ConfigMap kube-system/ip-masq-agent", "kubectl.kubernetes.io/restartedAt", "bpf.masquerade=false",
                "Masquerading line is IPTables", "has the 'cilium masquerade non-cluster' rule",
                "== mode bpf", "setting bpf.masquerade=true",
                "Masquerading line is BPF", "has no 'cilium masquerade non-cluster' rule", "a destination this mode masquerades", "XLATE_SRC",
                "teardown");
        assertThat(plan).doesNotContain("/sys/fs/cgroup -> /sys/fs/cgroup").doesNotContain("cgroupns=host").doesNotContain("tmpfs /var/run");
    }

    /** D11: a list value reaches Helm as a YAML list in the values file, never as one escaped --set string. */
    @Test
    void listValuesGoThroughTheValuesFileAsLists() {
        String yaml = io.masqharness.cluster.k8s.CiliumHelm.valuesYaml(java.util.Map.of(
                "ipMasqAgent.config.nonMasqueradeCIDRs", java.util.List.of("10.0.0.0/8", "192.168.0.0/16")));
        assertThat(yaml).contains("ipMasqAgent:\n  config:\n    nonMasqueradeCIDRs:\n    - \"10.0.0.0/8\"\n    - \"192.168.0.0/16\"");
    }

    @Test
    void ipMasqAgentModesWriteTheConfigMapAndWaitForTheMap() {
        Scenario agent = new ScenarioLoader().load(Path.of("scenarios/ip-masq-agent.yaml"));
        String plan = PlanText.k3s(new K3sPlan(agent, "p"));
        assertThat(plan).containsSubsequence(
                "== mode rfc1918",
                "write ConfigMap kube-system/ip-masq-agent key config = {\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\",\"172.16.0.0/12\",\"192.168.0.0/16\"],\"masqLinkLocal\":false}",
                "wait until `cilium bpf ipmasq list` on every agent shows exactly [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16]",
                "== mode defaults", "delete ConfigMap kube-system/ip-masq-agent if present (the agent's default list applies)",
                "== mode empty-config", "key config = {\"nonMasqueradeCIDRs\":[],\"masqLinkLocal\":false}",
                "shows exactly [169.254.0.0/16]");
    }

    @Test
    void kubeconfigPlanIsReadOnlyUnlessOptedIn() {
        assertThat(PlanText.kubeconfig(TOGGLE, false)).contains("read-only").contains("no write to Cilium's objects")
                .doesNotContain("helm upgrade");
        assertThat(PlanText.kubeconfig(TOGGLE, true)).contains("ALLOWED by opt-in").contains("restore");
    }
}
