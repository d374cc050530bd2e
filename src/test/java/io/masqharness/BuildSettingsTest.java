package io.masqharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * How Failsafe runs the suites, as pom.xml and .ci/run set it: in one order on every machine, and
 * with the caller's Testcontainers settings (review 2, N1 and N6).
 */
class BuildSettingsTest {

    static Element failsafeConfiguration() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        var plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("maven-failsafe-plugin".equals(child(plugin, "artifactId").getTextContent().strip())) {
                return child(plugin, "configuration");
            }
        }
        throw new AssertionError("no maven-failsafe-plugin in pom.xml");
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The default is the file system's order, which differs between machines: a suite that needed another first would pass by luck. */
    @Test
    void theSuitesRunInOneOrderEverywhere() throws Exception {
        Element runOrder = child(failsafeConfiguration(), "runOrder");
        assertThat(runOrder).as("failsafe <runOrder>").isNotNull();
        assertThat(runOrder.getTextContent().strip()).isEqualTo("alphabetical");
    }

    /**
     * Failsafe's environmentVariables override the caller's: a forced TESTCONTAINERS_HOST_OVERRIDE=localhost
     * sent every kubeconfig to a port nothing listens on where Docker is remote (DinD, DOCKER_HOST=tcp://...).
     */
    @Test
    void theSuitesTakeTestcontainersSettingsFromTheCallerAndCiSetsThemForItsOwnMachines() throws Exception {
        Element env = child(failsafeConfiguration(), "environmentVariables");
        List<String> forced = new ArrayList<>();
        for (Node n = env == null ? null : env.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().startsWith("TESTCONTAINERS_")) {
                forced.add(e.getTagName());
            }
        }
        assertThat(forced).as("Testcontainers settings forced on every caller").isEmpty();
        String ci = Files.readString(Path.of(".ci/run"));
        assertThat(ci).contains("export TESTCONTAINERS_RYUK_DISABLED=").contains("export TESTCONTAINERS_HOST_OVERRIDE=");
    }
}
