package io.masqharness.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The parser against real iperf3 3.12 outputs (src/test/resources/iperf3/README.md says how each was produced). */
class Iperf3Test {

    static String golden(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/iperf3", name));
    }

    @Test
    void anUploadWithTwoStreamsIsTheReceiversGoodputAndTheSendersRetransmissions() throws Exception {
        // end.sum_received.bits_per_second 11948709498.155153, end.sum_sent.retransmits 3070 in the file
        Iperf3 r = Iperf3.parse(golden("upload-P2.json"));
        assertThat(r.goodputBps()).isEqualTo(11_948_709_498L);
        assertThat(r.retransmits()).isEqualTo(3070);
        assertThat(r.streams()).isEqualTo(2);
        assertThat(r.reverse()).isFalse();
        assertThat(r.seconds()).isEqualTo(2.008569);
        assertThat(r.gbps()).isEqualTo(11.948709498);
        assertThat(r.senderCongestionControl()).isEqualTo("bbr");
        String older = golden("upload-P2.json").replace("\"sender_tcp_congestion\"", "\"x\"");
        assertThat(Iperf3.parse(older).senderCongestionControl()).as("an iperf3 that does not say").isEmpty();
    }

    @Test
    void theSendersCongestionControlIsTheClientsOnAnUploadAndTheServersOnADownload() throws Exception {
        // the client's namespace set to reno, the server on this host's default, bbr
        assertThat(Iperf3.parse(golden("upload-P2-reno.json")).senderCongestionControl()).isEqualTo("reno");
        Iperf3 download = Iperf3.parse(golden("download-P1-reno-client.json"));
        assertThat(download.reverse()).isTrue();
        assertThat(download.senderCongestionControl()).isEqualTo("bbr");
    }

    @Test
    void aDownloadIsReverseAndCarriesTheServersRetransmissions() throws Exception {
        // end.sum_received.bits_per_second 10940387957.899746 (not sum_sent's 10938039935.6), retransmits 1412
        Iperf3 r = Iperf3.parse(golden("download-P1.json"));
        assertThat(r.goodputBps()).isEqualTo(10_940_387_958L);
        assertThat(r.retransmits()).isEqualTo(1412);
        assertThat(r.streams()).isEqualTo(1);
        assertThat(r.reverse()).isTrue();
        Iperf3 two = Iperf3.parse(golden("download-P2-omit1.json"));
        assertThat(two.goodputBps()).isEqualTo(4_626_192_484L);
        assertThat(two.retransmits()).isEqualTo(1);
        assertThat(two.streams()).isEqualTo(2);
    }

    @Test
    void iperf3sOwnErrorIsAFailureInItsWordsNeverANumber() throws Exception {
        assertThatThrownBy(() -> Iperf3.parse(golden("error-refused.json"))).isInstanceOf(Iperf3.Failure.class)
                .hasMessage("iperf3 failed: unable to connect to server: Connection refused");
        assertThatThrownBy(() -> Iperf3.parse(golden("error-unreachable.json"))).isInstanceOf(Iperf3.Failure.class)
                .hasMessage("iperf3 failed: unable to connect to server: Connection timed out");
    }

    @Test
    void outputThatIsNoMeasurementSaysWhatItWas() throws Exception {
        assertThatThrownBy(() -> Iperf3.parse("")).hasMessage("iperf3 printed no JSON object: (nothing)");
        assertThatThrownBy(() -> Iperf3.parse(null)).hasMessage("iperf3 printed no JSON object: (nothing)");
        assertThatThrownBy(() -> Iperf3.parse("sh: 1: iperf3: not found")).isInstanceOf(Iperf3.Failure.class)
                .hasMessage("iperf3 printed no JSON: sh: 1: iperf3: not found");
        assertThatThrownBy(() -> Iperf3.parse("[1]")).hasMessage("iperf3 printed no JSON object: [1]");
        assertThatThrownBy(() -> Iperf3.parse("{\"start\":{},\"end\":{}}"))
                .hasMessageStartingWith("iperf3's JSON has no end.sum_received.bits_per_second");
        String noRetransmits = golden("upload-P1.json").replace("\"retransmits\"", "\"retransmitted\"");
        assertThatThrownBy(() -> Iperf3.parse(noRetransmits)).hasMessageStartingWith("iperf3's JSON has no end.sum_sent.retransmits");
        assertThatThrownBy(() -> Iperf3.parse("{\"error\": null, \"end\": {}}")).hasMessageStartingWith("iperf3's JSON has no");
    }

    @Test
    void aLongOutputIsCutInTheMessage() {
        String text = "x".repeat(500);
        assertThat(Iperf3.excerpt(text)).hasSize(203).endsWith("...");
        assertThat(Iperf3.excerpt("a\n  b")).isEqualTo("a b");
        assertThat(Iperf3.excerpt("y".repeat(200))).hasSize(200);
    }
}
