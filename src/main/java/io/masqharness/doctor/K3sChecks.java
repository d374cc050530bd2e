package io.masqharness.doctor;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.k3s.K3sImages;
import io.masqharness.cluster.k3s.K3sPlan;
import io.masqharness.cluster.k8s.CiliumHelm;
import io.masqharness.probe.ProbeImage;
import io.masqharness.scenario.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What the main job (K3s + Cilium in Docker) needs beyond Docker itself. */
final class K3sChecks {

    private K3sChecks() {
    }

    /**
     * @param pull whether missing images are pulled now (the suites, about to run) or only checked (doctor)
     */
    static List<Check> all(Scenario scenario, boolean pull, Consumer<String> progress) {
        List<Check> checks = new ArrayList<>();
        ProbeImage probe = ProbeImage.fromProject();
        Check probeCheck = Doctor.probeImage(probe);
        checks.add(probeCheck);
        K3sPlan plan = new K3sPlan(scenario, probeCheck.failed() ? ProbeImage.REPOSITORY + ":<content hash>" : probe.tag());
        checks.add(DockerChecks.cgroupVersion());
        checks.add(DockerChecks.kernel(scenario));
        checks.add(DockerChecks.subnet(scenario.cluster().subnet(), K3sPlan.SUBNET_POOL, plan.avoidedByNodeNetwork()));
        checks.addAll(DockerChecks.disk());
        checks.add(chart(scenario.cilium().version()));

        K3sImages images = new K3sImages(plan, K3sImages.airgapDir());
        images.unreadableArchives().forEach(a -> checks.add(Check.warn("air-gap archive", a, "")));
        boolean pullNow = pull && checks.stream().noneMatch(Check::failed);
        List<K3sImages.Supply> supplies = pullNow ? images.provideEach(progress) : images.assess();
        for (K3sImages.Supply s : supplies) {
            checks.add(s.problem().map(p -> Check.fail("image " + s.image(), p, K3sImages.AIRGAP_HELP))
                    .orElseGet(() -> Check.pass("image " + s.image(), s.describe())));
        }
        checks.addAll(DockerChecks.privilegedAndBpffs(List.of(scenario.cluster().k3sImage(), ProbeImage.BASE_IMAGE)));
        return checks;
    }

    /** The Cilium chart: the archive given with -Dharness.ciliumChart at the scenario's version, or the chart repository answering. */
    static Check chart(String version) {
        Optional<Path> local = CiliumHelm.localChart();
        if (local.isPresent()) {
            try {
                String found = CiliumHelm.chartArchiveVersion(local.get());
                return found.equals(version) ? Check.pass("Cilium chart", local.get() + " (chart version " + found + ")")
                        : Check.fail("Cilium chart", local.get() + " is chart version " + found + ", the scenario runs " + version,
                        "pass the cilium-" + version + ".tgz archive");
            } catch (ClusterException e) {
                return Check.fail("Cilium chart", e.getMessage(), "pass -D" + CiliumHelm.CHART_PROPERTY + "=<path to cilium-" + version + ".tgz>");
            }
        }
        String index = CiliumHelm.REPO + "index.yaml";
        String fix = "where " + CiliumHelm.REPO + " cannot be reached, download cilium-" + version + ".tgz on a connected machine"
                + " (`helm pull cilium/cilium --version " + version + "`) and pass -D" + CiliumHelm.CHART_PROPERTY + "=<that file>";
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(index)).timeout(Duration.ofSeconds(15))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() < 400 ? Check.pass("Cilium chart", CiliumHelm.CHART + " " + version + " from " + CiliumHelm.REPO
                    + " (answers)") : Check.fail("Cilium chart", index + " answered HTTP " + r.statusCode(), fix);
        } catch (java.io.IOException e) {
            List<String> chain = new ArrayList<>();
            for (Throwable t = e; t != null && chain.size() < 4; t = t.getCause()) {
                chain.add(t.getClass().getSimpleName() + (t.getMessage() == null || t.getMessage().equals(String.valueOf(t.getCause()))
                        ? "" : ": " + t.getMessage()));
            }
            return Check.fail("Cilium chart", index + " cannot be reached (" + String.join(" <- ", chain) + ")", fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail("Cilium chart", "interrupted", fix);
        }
    }
}
