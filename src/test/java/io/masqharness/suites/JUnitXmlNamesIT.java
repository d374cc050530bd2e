package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The JUnit XML a CI dashboard reads names dynamic tests by their display names, not by their
 * position ({@code modes()[1][2]}): reads the report Surefire wrote for {@link DynamicNamesTest} in
 * this build's test phase (Failsafe's reporter is configured the same way in pom.xml).
 */
class JUnitXmlNamesIT {

    static final Path REPORT = Path.of("target/surefire-reports/TEST-" + DynamicNamesTest.class.getName() + ".xml");

    @Test
    void everyDynamicTestIsNamedByItsContainerAndItsOwnDisplayName() throws Exception {
        assertThat(REPORT).as("the test phase writes it (mvn verify runs it first)").exists();
        assertThat(Files.getLastModifiedTime(REPORT)).as("written after pom.xml last changed, not left by an older build")
                .isGreaterThanOrEqualTo(Files.getLastModifiedTime(Path.of("pom.xml")));
        List<String> names = testcaseNames(REPORT);
        assertThat(names).hasSize(DynamicNamesTest.CASES.size());
        for (int i = 0; i < names.size(); i++) {
            DynamicNamesTest.Case c = DynamicNamesTest.CASES.get(i);
            assertThat(names.get(i)).contains("mode " + c.mode() + " on the lab").contains(c.name());
        }
        assertThat(names).noneMatch(n -> n.matches(".*\\[\\d+\\].*"));
    }

    static List<String> testcaseNames(Path report) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList cases = factory.newDocumentBuilder().parse(report.toFile()).getElementsByTagName("testcase");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            names.add(((Element) cases.item(i)).getAttribute("name"));
        }
        return names;
    }
}
