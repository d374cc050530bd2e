package io.masqharness.tuning;

import io.masqharness.oracle.VersionRule;
import java.util.Optional;

/**
 * Native routing: {@code tunnel=disabled} (1.13; read until 1.14, ignored by the 1.15.0-1.15.7 and 1.16.0-1.16.1 charts,
 * refused by Helm from 1.15.8 and 1.16.2) or {@code routingMode=native} (1.14+), with {@code ipv4NativeRoutingCIDR} and
 * {@code autoDirectNodeRoutes}. Facts §2.1.
 */
final class NativeRoutingRule {

    static final String SOURCE = "chart cilium-1.13.4/1.14.0/1.15.0 templates/cilium-configmap.yaml (tunnel, routing-mode);"
            + " daemon/cmd/daemon_main.go initEnv (auto-direct-node-routes with tunnelling, PR #15196); pkg/option/config.go"
            + " checkIPv4NativeRoutingCIDR; facts/cilium-tuning-series.md §2.1";

    private NativeRoutingRule() {
    }

    /** @param refusal the masquerading oracle's or Helm's refusal that belongs to routing, if any */
    static ToggleVerdict judge(TuningContext c, Optional<String> refusal) {
        boolean viaTunnel = c.string("tunnel", "").equals("disabled");
        boolean viaMode = c.version().atLeast(14, 0) && c.string("routingMode", "").equals("native");
        boolean asked = viaTunnel || viaMode;
        Verdicts v = new Verdicts(Toggle.NATIVE_ROUTING, asked ? "native" : "tunnel", c.set("tunnel") || c.set("routingMode"), SOURCE);
        String effective = c.nativeRouting() ? "native" : "tunnel";
        String note = c.restartNote("tunnel", "routingMode", "ipv4NativeRoutingCIDR", "autoDirectNodeRoutes");
        if (refusal.isPresent()) {
            return v.of(effective, Outcome.REFUSED, refusal.get() + note, ToggleVerdict.Stage.INIT_ENV);
        }
        if (!c.nativeRouting() && c.bool("autoDirectNodeRoutes", false) && !c.version().atLeast(14, 0)) {
            // The 1.14+ case is the masquerading oracle's (VersionRule AUTO_DIRECT_ROUTES_TUNNEL); the check is older (PR #15196, 1.10).
            return v.of(effective, Outcome.REFUSED, "auto-direct-node-routes cannot be used with tunneling. Packets must be routed"
                    + " through the tunnel device. (set tunnel=disabled, or autoDirectNodeRoutes=false)" + note, ToggleVerdict.Stage.INIT_ENV);
        }
        if (asked && !c.nativeRouting()) {
            return v.of(effective, viaTunnel && VersionRule.TUNNEL_IGNORED.appliesTo(c.version()) ? Outcome.IGNORED : Outcome.FALLBACK,
                    "the " + c.version().full() + " chart does not read tunnel=disabled: routing stays the default tunnel (vxlan);"
                            + " set routingMode=native" + note, ToggleVerdict.Stage.HELM);
        }
        if (!c.nativeRouting()) {
            return v.of(effective, Outcome.OFF, "tunnel routing (" + c.helm().routing().label() + "), the chart's default: every packet"
                    + " between nodes is encapsulated (50 bytes of MTU and the encapsulation's CPU)" + note, ToggleVerdict.Stage.NONE);
        }
        String routes = c.bool("autoDirectNodeRoutes", false)
                ? "autoDirectNodeRoutes installs a route to each node's pod CIDR (nodes must share an L2 segment)"
                : "autoDirectNodeRoutes is off: routes between nodes must come from elsewhere (BGP, static routes), or cross-node"
                + " pod traffic is black-holed while the agent reports Ok";
        String evidence = c.version().atLeast(16, 0) ? "`Routing: Network: Native`" : "no status line before 1.16: cilium-config "
                + (c.version().atLeast(14, 0) ? "routing-mode" : "tunnel") + " and no cilium_vxlan device";
        return v.of("native", Outcome.ON, "native routing; " + routes + "; the native-routing CIDR "
                + c.values().get("ipv4NativeRoutingCIDR").map(Object::toString).orElse("(unset)") + " must cover every pod CIDR;"
                + " evidence: " + evidence + note, ToggleVerdict.Stage.NONE, SOURCE,
                c.bool("autoDirectNodeRoutes", false) ? null : "that missing routes black-hole silently is inferred (facts [L])");
    }
}
