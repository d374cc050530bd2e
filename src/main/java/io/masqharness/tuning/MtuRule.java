package io.masqharness.tuning;

/** Jumbo frames: Helm {@code MTU} (rendered as {@code mtu} only when not 0; 0 means inherit the device's). Facts §2.8. */
final class MtuRule {

    static final String SOURCE = "chart cilium-1.13.4 templates/cilium-configmap.yaml (mtu only when MTU != 0); pkg/mtu"
            + " ('Inheriting MTU from external network interface'); tuning guide; facts/cilium-tuning-series.md §2.8";
    /** VXLAN and Geneve both cost 50 bytes of each packet (pkg/mtu TunnelOverhead). */
    static final int TUNNEL_OVERHEAD = 50;

    private MtuRule() {
    }

    static ToggleVerdict judge(TuningContext c) {
        String given = c.values().get("MTU").map(Object::toString).map(String::strip).orElse("0");
        int mtu;
        try {
            mtu = Integer.parseInt(given);
        } catch (NumberFormatException e) {
            mtu = -1;
        }
        Verdicts v = new Verdicts(Toggle.MTU, mtu == 0 ? "auto" : given, c.set("MTU"), SOURCE);
        String note = c.restartNote("MTU") + (mtu > 0 ? " Pods created before keep their eth0 MTU until recreated." : "");
        if (mtu < 0 || mtu > 0 && mtu < 1280) {
            return v.of(given, Outcome.REFUSED, "MTU " + given + " is not a usable MTU (an integer, at least 1280 for IPv6)" + note,
                    ToggleVerdict.Stage.VALIDATE, SOURCE, "the agent's exact reaction to such a value was not read");
        }
        String tunnel = c.nativeRouting() ? "" : "; tunnel routing: pod routes get " + (mtu == 0 ? "the device MTU" : mtu) + " - "
                + TUNNEL_OVERHEAD + " for the encapsulation";
        if (mtu == 0) {
            return v.of("auto", Outcome.OFF, "MTU inherited from the device that holds the node IP (a jumbo-frame NIC is used as is;"
                    + " a VPN device there pushes its small MTU to every pod)" + tunnel + note, ToggleVerdict.Stage.NONE);
        }
        return v.of(String.valueOf(mtu), Outcome.ON, "mtu: \"" + mtu + "\" in cilium-config, applied to cilium_host and each pod's"
                + " device; nothing checks the underlay carries it: if it does not, large packets drop while the agent reports Ok;"
                + " no status line (evidence: cilium-config mtu, /sys/class/net/cilium_host/mtu)" + tunnel + note,
                ToggleVerdict.Stage.NONE, SOURCE, c.nativeRouting() ? null : "the tunnel overhead's placement (routes vs devices) is inferred");
    }
}
