package io.masqharness.cilium;

import java.util.Optional;

/** One agent's captured outputs, as found in a sysdump's cilium-bugtool archive for that agent's pod. */
public record NodeCapture(String node, Optional<TextFile> status, Optional<TextFile> ipMasq, Optional<TextFile> nat,
                          Optional<TextFile> iptables) {
}
