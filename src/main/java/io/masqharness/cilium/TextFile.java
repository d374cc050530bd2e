package io.masqharness.cilium;

/** A captured text and where it came from (a file, or an entry of a sysdump: {@code sysdump.zip!cilium-bugtool-.../cmd/...}). */
public record TextFile(String name, String text) {
}
