package io.masqharness.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelTest {

    @Test
    void readsUnameAndNodeInfoSpellings() {
        assertThat(Kernel.parse("6.2.0-39-generic")).extracting(Kernel::major, Kernel::minor, Kernel::patch).containsExactly(6, 2, 0);
        assertThat(Kernel.parse("5.10.205-195.807.amzn2.x86_64")).extracting(Kernel::major, Kernel::minor, Kernel::patch)
                .containsExactly(5, 10, 205);
        assertThat(Kernel.parse("5.4")).extracting(Kernel::patch).isEqualTo(0);
        assertThat(Kernel.parse(" 6.18.44-fc-v1272 ").toString()).isEqualTo("6.18.44-fc-v1272");
        assertThat(Kernel.parse("v5.15")).extracting(Kernel::major, Kernel::minor).containsExactly(5, 15);
    }

    @Test
    void refusesWhatIsNoRelease() {
        assertThatThrownBy(() -> Kernel.parse("latest")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latest");
        assertThatThrownBy(() -> Kernel.parse("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Kernel.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void comparesMajorThenMinorThenPatch() {
        assertThat(Kernel.parse("5.10").atLeast(5, 10)).isTrue();
        assertThat(Kernel.parse("5.9.99").atLeast(5, 10)).isFalse();
        assertThat(Kernel.parse("6.0").atLeast(5, 19)).isTrue();
        assertThat(Kernel.parse("4.20").atLeast(5, 1)).isFalse();
        assertThat(Kernel.parse("5.1.15").atLeast(5, 1, 16)).isFalse();
        assertThat(Kernel.parse("5.1.16").atLeast(5, 1, 16)).isTrue();
        assertThat(Kernel.parse("5.2.0").compareTo(Kernel.parse("5.1.99"))).isPositive();
    }

    /** kubeproxy-free.rst: socket-LB for UDP needs 4.19.57, 5.1.16 or 5.2.0. */
    @Test
    void socketLbUdpThresholdsOfKubeproxyFreeDoc() {
        assertThat(Kernel.parse("4.19.57").hasSocketLbUdp()).isTrue();
        assertThat(Kernel.parse("4.19.56").hasSocketLbUdp()).isFalse();
        assertThat(Kernel.parse("5.1.16").hasSocketLbUdp()).isTrue();
        assertThat(Kernel.parse("5.1.15").hasSocketLbUdp()).isFalse();
        assertThat(Kernel.parse("5.2").hasSocketLbUdp()).isTrue();
        assertThat(Kernel.parse("5.0.99").hasSocketLbUdp()).isFalse();
        assertThat(Kernel.parse("4.20.99").hasSocketLbUdp()).isFalse();
        assertThat(Kernel.parse("6.1").hasSocketLbUdp()).isTrue();
    }
}
