package io.masqharness.probe.agent;

import java.util.Arrays;

/**
 * The probe agent: one small, dependency-free jar run inside pods, nodes and the external host.
 * Subcommands are its contract (see {@link #USAGE}); output is one JSON object per line.
 */
public final class ProbeAgent {

    static final String USAGE = """
            usage: probe <command> [options]
              serve --tcp-port P --udp-port P [--max-seconds S] [--rr-delay-file PATH]
                  Answer each TCP connection and UDP datagram with one JSON line naming the peer
                  address observed: {"peer":"A","peerPort":N,"id":"..."}. Exits after S seconds
                  (default 3600): probes never outlive a run. With --rr-delay-file, the RR/CRR
                  answers leave as many microseconds late as PATH holds (re-read every 50 ms;
                  absent or empty: none): a known slowdown for testing latency gates.
              snat --target IP:PORT | --targets IP[,IP...] --port P
                   --protocol tcp|udp [--count N] [--timeout-ms T]
                  Send N requests (default 3, at most 100) to each target, print one JSON line per
                  target: {"target":..,"protocol":..,"sent":N,"received":M,"observed":[..],"error":..}.
                  Exit status 0 when every request was answered, 1 otherwise, 2 on bad arguments.
              stream --target IP:PORT --stop-file PATH [--rate N] [--max-ms T]
                  UDP requests at N per second (default 100) until PATH exists or T ms (default
                  60000) pass, then {"sent":..,"received":..,"lost":..,"longestGapMs":..}: what a
                  mode switch costs a flow.
              latency --kind tcp-rr|tcp-crr|udp-rr --target IP:PORT [--rate N] [--duration-ms T]
                      [--warmup-ms W] [--mode open|closed] [--spin-us S]
                  Request/response latency: open loop at N per second, each measured from its intended
                  send time, or closed loop (back to back, as netperf TCP_RR). The warm-up is discarded.
                  The sender parks until S us (default 200) before each send time, then spins.
                  Prints {"kind":..,"latenciesUs":[..],"latenessUs":[..],"sent":..,"completed":..,
                  "errors":..}; latenessUs: how late each request left (actual - intended send time).
                  serve also answers RR/CRR on tcp/7002 and UDP RR on udp/7003.
            """;

    private ProbeAgent() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            System.err.print(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "serve" -> EchoServer.run(Args.parse(rest));
                case "snat" -> SnatClient.run(Args.parse(rest));
                case "stream" -> StreamClient.run(Args.parse(rest));
                case "latency" -> LatencyClient.run(Args.parse(rest));
                case "help", "--help", "-h" -> {
                    System.out.print(USAGE);
                    yield 0;
                }
                default -> {
                    System.err.println("unknown command '" + args[0] + "'");
                    System.err.print(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            System.err.println("probe: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            System.err.println("probe: " + e.getMessage());
            return 1;
        }
    }
}
