package io.masqharness.cluster.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;

/** Whether an image is in the local Docker engine (the harness never pulls on its own). */
public final class DockerImages {

    private DockerImages() {
    }

    public static boolean present(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
