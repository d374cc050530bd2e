package io.masqharness.probe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One line of {@code probe snat}: what the echo server at {@code target} saw as our source. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnatAnswer(String target, int port, String protocol, int sent, int received, List<String> observed,
                         List<String> answers, String error) {
}
