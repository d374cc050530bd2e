package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A two-node cluster and Helm value presets for the oracle's tests. */
final class OracleFixtures {

    static final ClusterFacts CLUSTER = new ClusterFacts(List.of(
            new ClusterFacts.Node("node-1", Ipv4.parse("172.28.0.11"), Cidr.parse("10.42.0.0/24"), "eth0"),
            new ClusterFacts.Node("node-2", Ipv4.parse("172.28.0.12"), Cidr.parse("10.42.1.0/24"), "eth0")));

    static final String PUBLIC = "198.20.0.10";
    static final String RFC1918 = "192.168.77.10";
    static final String LINK_LOCAL = "169.254.77.10";
    static final String CGNAT = "100.64.77.10";
    static final String NODE_2 = "172.28.0.12";
    static final String POD_ON_NODE_2 = "10.42.1.10";
    static final String POD_ON_NODE_1 = "10.42.0.20";

    private OracleFixtures() {
    }

    /** Native routing with kube-proxy replacement: the seed's base values. */
    static Map<String, Object> nativeKpr(Object... more) {
        return values(join(new Object[] {"tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "autoDirectNodeRoutes", true, "kubeProxyReplacement", "strict"}, more));
    }

    /** vxlan tunnelling with kube-proxy replacement. */
    static Map<String, Object> vxlanKpr(Object... more) {
        return values(join(new Object[] {"tunnel", "vxlan", "kubeProxyReplacement", "strict"}, more));
    }

    static Map<String, Object> values(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static AgentConfig agent(Map<String, Object> values) {
        return AgentConfigDeriver.derive(HelmValues.of(values), new IpMasqAgentFile.Absent());
    }

    static AgentConfig agent(Map<String, Object> values, IpMasqAgentFile file) {
        return AgentConfigDeriver.derive(HelmValues.of(values), file);
    }

    static Expectation fromPod(AgentConfig agent, String destination, Protocol protocol) {
        return MasqueradeOracle.expect(CLUSTER, agent, Flow.fromPod("node-1", destination, protocol));
    }

    private static Object[] join(Object[] a, Object[] b) {
        Object[] r = new Object[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
