package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesClientBuilderCustomizer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;

/**
 * Each mock client gets its own Vert.x: with a shared one, a websocket exec after other tests'
 * clients were closed failed intermittently ("An error has occurred" while connecting to the pod).
 */
public class VertxPerMockClient extends KubernetesClientBuilderCustomizer {
    @Override
    public void accept(KubernetesClientBuilder builder) {
        builder.withHttpClientFactory(new Vertx5HttpClientFactory(Vertx.vertx()));
    }
}
