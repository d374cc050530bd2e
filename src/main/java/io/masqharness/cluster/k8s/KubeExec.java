package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A bounded exec into a container of a pod. */
final class KubeExec {

    private KubeExec() {
    }

    static ExecResult exec(KubernetesClient client, String namespace, String pod, String container, Duration bound, String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
                .writingOutput(out).writingError(err).exec(command)) {
            Integer code = watch.exitCode().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return new ExecResult(code == null ? -1 : code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            return new ExecResult(ExecResult.TIMED_OUT, out.toString(StandardCharsets.UTF_8), "timed out after " + bound.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("exec " + String.join(" ", command), namespace + "/" + pod, e);
        } catch (ExecutionException | KubernetesClientException e) {
            throw new ClusterException("exec " + String.join(" ", command), namespace + "/" + pod, e);
        }
    }
}
