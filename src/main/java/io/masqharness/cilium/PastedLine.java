package io.masqharness.cilium;

/** One line of a capture as the parsers see it: its 1-based number in the file, its text without the paste's decorations. */
public record PastedLine(int number, String text) {
}
