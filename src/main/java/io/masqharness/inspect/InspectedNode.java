package io.masqharness.inspect;

import io.masqharness.cilium.CiliumInputException;
import io.masqharness.cilium.InputProblem;
import io.masqharness.cilium.IpMasqMap;
import io.masqharness.cilium.IptablesCapture;
import io.masqharness.cilium.MasqueradeRule;
import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.cilium.MasqueradingStatus;
import io.masqharness.cilium.NatEntry;
import io.masqharness.cilium.NatList;
import io.masqharness.cilium.NodeCapture;
import io.masqharness.cilium.StatusCapture;
import io.masqharness.cilium.TextFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** One node's captures, parsed: what {@code inspect} prints for it, and the problems met on the way. */
record InspectedNode(String node, Optional<StatusCapture> status, Optional<IpMasqMap> ipMasq, Optional<NatList> nat,
                     Optional<IptablesCapture> iptables, NodeCapture captures, List<InputProblem> problems) {

    /** @throws CiliumInputException naming the file and line when a capture is not what it was given as */
    static InspectedNode parse(NodeCapture c) {
        List<InputProblem> problems = new ArrayList<>();
        Optional<StatusCapture> status = read(c.status(), StatusCapture::parse, StatusCapture::problems, problems);
        Optional<IpMasqMap> ipMasq = read(c.ipMasq(), IpMasqMap::parse, IpMasqMap::problems, problems);
        Optional<NatList> nat = read(c.nat(), NatList::parse, NatList::problems, problems);
        Optional<IptablesCapture> iptables = read(c.iptables(), IptablesCapture::parse, IptablesCapture::problems, problems);
        return new InspectedNode(c.node(), status, ipMasq, nat, iptables, c, problems);
    }

    /** A captured file parsed, its problems added (named by the file); none when not given; unreadable: the file's input error. */
    static <T> Optional<T> read(Optional<TextFile> file, Function<String, T> parser, Function<T, List<InputProblem>> of,
                                List<InputProblem> problems) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            T value = parser.apply(file.get().text());
            of.apply(value).forEach(p -> problems.add(p.in(file.get().name())));
            return Optional.of(value);
        } catch (CiliumInputException e) {
            throw e.in(file.get().name());
        }
    }

    /** The fields of the JSON answer for this node, present only for the captures given. */
    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        if (!node.equals(InspectInputs.UNNAMED)) {
            j.put("node", node);
        }
        status.ifPresent(s -> j.put("status", status(s)));
        ipMasq.ifPresent(m -> j.put("ipMasqMap", m.cidrs()));
        nat.ifPresent(n -> j.put("nat", n.entries().stream().map(InspectedNode::nat).toList()));
        iptables.ifPresent(r -> j.put("masqueradeRules", MasqueradeRules.inCiliumChains(r.rules()).stream().map(InspectedNode::rule).toList()));
        return j;
    }

    /** The Masquerading line's fields (null when no line is judged: absent, or lines that disagree) and {@code tuning}. */
    static Map<String, Object> status(StatusCapture capture) {
        Optional<MasqueradingStatus> m = capture.masquerading();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("masquerading", m.map(MasqueradingStatus::mode).orElse(null));
        j.put("ipMasqAgent", m.map(MasqueradingStatus::ipMasqAgent).orElse(null));
        j.put("devices", m.map(MasqueradingStatus::devices).orElse(null));
        j.put("excludedCidrs", m.map(MasqueradingStatus::excludedCidrs).orElse(null));
        j.put("ipv4", m.flatMap(MasqueradingStatus::ipv4).orElse(null));
        j.put("ipv6", m.flatMap(MasqueradingStatus::ipv6).orElse(null));
        j.put("tuning", TuningJson.of(capture.tuning()));
        return j;
    }

    static Map<String, Object> nat(NatEntry e) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("protocol", e.protocol());
        j.put("direction", e.direction());
        j.put("from", e.from());
        j.put("to", e.to());
        j.put("xlateSrc", e.xlateSrc());
        j.put("xlateDst", e.xlateDst());
        return j;
    }

    static Map<String, Object> rule(MasqueradeRule r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("chain", r.chain());
        j.put("source", r.source());
        j.put("notDestination", r.notDestination());
        j.put("outInterface", r.outInterface());
        j.put("target", r.target());
        j.put("comment", r.comment());
        return j;
    }
}
