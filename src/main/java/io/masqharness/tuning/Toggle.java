package io.masqharness.tuning;

/**
 * The tuning list, in the order people work through it (issue 23; facts/cilium-tuning-series.md §0), each under
 * the name {@code explain --tuning --json} prints.
 */
public enum Toggle {
    NATIVE_ROUTING("nativeRouting"),
    KUBE_PROXY_REPLACEMENT("kubeProxyReplacement"),
    BPF_MASQUERADE("bpfMasquerade"),
    DSR("dsr"),
    NO_CONNTRACK("noConntrack"),
    HOST_ROUTING("hostRouting"),
    BIG_TCP_IPV6("bigTcpIpv6"),
    HUBBLE("hubble"),
    MTU("mtu"),
    BANDWIDTH_MANAGER("bandwidthManager"),
    BBR("bbr"),
    XDP_ACCELERATION("xdpAcceleration"),
    MAP_SIZES("mapSizes");

    private final String jsonName;

    Toggle(String jsonName) {
        this.jsonName = jsonName;
    }

    /** {@code nativeRouting}, {@code bigTcpIpv6}, …: the name in JSON and text. */
    public String jsonName() {
        return jsonName;
    }
}
