package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.Pod;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each verdict path, fed a right and a wrong observation. */
class VerdictTest {

    static final Pod POD = new Pod("node-1-pod-a", "node-1", Ipv4.parse("10.44.0.10"), null);
    static final Cell CELL = new Cell("bpf", POD, "public", "198.20.0.10", Protocol.TCP);
    static final Expectation NODE_IP = Expectation.nodeIp(Ipv4.parse("172.29.0.11"), "the oracle's reason");

    static Observation seen(boolean answered, String... sources) {
        return new Observation(answered, List.of(sources), "{\"peer\":\"x\"}\nsecond line", 1);
    }

    @Test
    void theExpectedSourceAloneAndAnsweredPasses() {
        Verdict v = Verdict.judge(CELL, NODE_IP, seen(true, "172.29.0.11"));
        assertThat(v.passed()).isTrue();
        assertThat(v.applicable()).isTrue();
        assertThat(v.message()).isEqualTo("[bpf] node-1-pod-a -> public (198.20.0.10) tcp: expected node-ip 172.29.0.11, observed"
                + " arrived from 172.29.0.11 (answered)\n  why expected: the oracle's reason\n  evidence: {\"peer\":\"x\"}\n    second line");
    }

    @Test
    void mixedSourcesAnotherSourceOrNoAnswerFail() {
        Verdict mixed = Verdict.judge(CELL, NODE_IP, seen(true, "172.29.0.11", "10.44.0.10"));
        assertThat(mixed.passed()).isFalse();
        assertThat(mixed.message()).contains("observed arrived from 172.29.0.11, 10.44.0.10 (answered)");
        assertThat(Verdict.judge(CELL, NODE_IP, seen(true, "10.44.0.10")).passed()).isFalse();
        Verdict unanswered = Verdict.judge(CELL, NODE_IP, seen(false, "172.29.0.11"));
        assertThat(unanswered.passed()).as("it arrived, but the flow did not complete").isFalse();
        assertThat(unanswered.message()).contains("(no answer)");
        Verdict nothing = Verdict.judge(CELL, NODE_IP, new Observation(false, List.of(), " ", 1));
        assertThat(nothing.passed()).isFalse();
        assertThat(nothing.message()).contains("observed nothing arrived (no answer)").endsWith("evidence: (none)");
    }

    @Test
    void podIpIsTheProbingPodsOwnAddress() {
        Expectation podIp = Expectation.podIp(Optional.empty(), "inside the cluster");
        assertThat(Verdict.judge(CELL, podIp, seen(true, "10.44.0.10")).passed()).isTrue();
        Verdict v = Verdict.judge(CELL, podIp, seen(true, "172.29.0.11"));
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).contains("expected pod-ip 10.44.0.10, observed arrived from 172.29.0.11");
    }

    @Test
    void droppedPassesOnlyWhenNothingArrivedAndNothingAnswered() {
        Expectation dropped = Expectation.dropped("DROP_NAT_UNSUPP_PROTO");
        Verdict v = Verdict.judge(CELL, dropped, seen(false));
        assertThat(v.passed()).isTrue();
        assertThat(v.message()).contains("expected dropped, observed nothing arrived (no answer)");
        assertThat(Verdict.judge(CELL, dropped, seen(true)).passed()).isFalse();
        assertThat(Verdict.judge(CELL, dropped, seen(false, "172.29.0.11")).passed()).isFalse();
    }

    @Test
    void anExpectationWithoutAnAddressNeverPasses() {
        Expectation unknownNode = new Expectation(Expectation.Source.NODE_IP, Optional.empty(), "ip6tables");
        Verdict v = Verdict.judge(CELL, unknownNode, seen(true, "?"));
        assertThat(v.message()).contains("expected node-ip ?");
        Verdict router = Verdict.judge(CELL, Expectation.routerIp("cilium_host"), seen(false));
        assertThat(router.passed()).isFalse();
        assertThat(router.message()).contains("expected router-ip, observed nothing arrived");
    }

    @Test
    void notApplicableIsNeitherPassedNorFailed() {
        Verdict v = Verdict.notApplicable("nothing captures there");
        assertThat(v.applicable()).isFalse();
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).isEqualTo("nothing captures there");
    }
}
