package io.masqharness.cluster.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlanTextTest {

    static final Scenario TOGGLE = new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml"));

    @Test
    void k3sPlanShowsEveryFlagMountAndValueInOrder() {
        String plan = PlanText.k3s(new K3sPlan(TOGGLE, "masq-harness-probe:abc"));
        assertThat(plan).containsSubsequence(
                "start container node-1 [k3s server] at 172.28.0.11",
                "image:        rancher/k3s:v1.26.6-k3s1",
                "mount bpffs -t bpf /sys/fs/bpf && mount --make-shared /sys/fs/bpf",
                "mount -t cgroup2 none /run/cilium/cgroupv2 && mount --make-shared /run/cilium/cgroupv2",
                "exec /bin/k3s server --disable=traefik", "--flannel-backend=none --disable-network-policy --disable-kube-proxy",
                "--cluster-cidr=10.42.0.0/16",
                "mount:        bind /sys/fs/cgroup -> /sys/fs/cgroup (rw)",
                "mount:        entrypoint bpffs -> /sys/fs/bpf (shared)",
                "mount:        entrypoint cgroup2 -> /run/cilium/cgroupv2 (shared)",
                "privileged; cgroupns=host",
                "K3S_TOKEN=<generated per run, never printed>",
                "masq-harness-probe.tar",
                "not flannel's log line",
                "start container node-2 [k3s agent] at 172.28.0.12", "exec /bin/k3s agent --server=https://172.28.0.11:6443",
                "start container external",
                "ip route replace 198.20.0.10/32 via 172.28.0.100",
                "helm install cilium cilium/cilium --version 1.13.4 -n kube-system",
                "k8sServiceHost=172.28.0.11", "tunnel=disabled", "ipv4NativeRoutingCIDR=10.42.0.0/16", "kubeProxyReplacement=strict",
                "== mode iptables", "--reuse-values --set bpf.masquerade=false", "bpf.masquerade=false",
                "delete ConfigMap kube-system/ip-masq-agent", "kubectl.kubernetes.io/restartedAt",
                "Masquerading line is IPTables", "has the 'cilium masquerade non-cluster' rule",
                "== mode bpf", "--reuse-values --set bpf.masquerade=true",
                "Masquerading line is BPF", "has no 'cilium masquerade non-cluster' rule", "XLATE_SRC",
                "teardown");
    }

    @Test
    void ipMasqAgentModesWriteTheConfigMapAndWaitForTheMap() {
        Scenario agent = new ScenarioLoader().load(Path.of("scenarios/ip-masq-agent.yaml"));
        String plan = PlanText.k3s(new K3sPlan(agent, "p"));
        assertThat(plan).containsSubsequence(
                "== mode rfc1918",
                "create or replace ConfigMap kube-system/ip-masq-agent key config = {\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\",\"172.16.0.0/12\",\"192.168.0.0/16\"],\"masqLinkLocal\":false}",
                "wait until `cilium bpf ipmasq list` on every agent shows exactly [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16]",
                "== mode defaults", "delete ConfigMap kube-system/ip-masq-agent if present (no config file (defaults apply))",
                "== mode empty-config", "key config = {\"nonMasqueradeCIDRs\":[],\"masqLinkLocal\":false}",
                "shows exactly [169.254.0.0/16]");
    }

    @Test
    void kubeconfigPlanIsReadOnlyUnlessOptedIn() {
        assertThat(PlanText.kubeconfig(TOGGLE, false)).contains("read-only").contains("no write to Cilium's objects")
                .doesNotContain("helm upgrade");
        assertThat(PlanText.kubeconfig(TOGGLE, true)).contains("ALLOWED by opt-in").contains("restore the remembered values");
    }
}
