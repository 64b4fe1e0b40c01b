package org.steppolicy.infer.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.models.PredictorNetConfig;

/**
 * README.md's "Use it from Java" section runs as written: its Java block is compiled against this module's classpath
 * and its main() runs on an export of tiny checkpoints; its Maven coordinates are step-infer's.
 */
class ReadmeExampleTest {
    /** Tests run in the repository root (the parent pom's surefire workingDirectory). */
    static final Path README = Path.of("README.md");

    @TempDir
    Path tmp;

    @Test
    void theJavaExampleCompilesAndRunsOnAnExport() throws Exception {
        String section = section(Files.readString(README), "## Use it from Java");
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(block.find(), "no ```java block in the section");
        String code = block.group(1);
        Matcher name = Pattern.compile("public class (\\w+)").matcher(code);
        assertTrue(name.find(), "the example declares a public class");

        Path src = tmp.resolve("src"), classes = tmp.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Path file = Files.writeString(src.resolve(name.group(1) + ".java"), code);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", classpath(), file.toString());
        assertEquals(0, rc, "the README example does not compile");

        Path dp = TinyCheckpoints.dp(tmp.resolve("dp"), 100, TinyCheckpoints.config(100, "squaredcos_cap_v2", true, "epsilon"));
        Path pred = TinyCheckpoints.predictor(tmp.resolve("pred"), PredictorNetConfig.Kind.STEP);
        Path export = tmp.resolve("policy-onnx");
        OnnxExport.write(PolicyLoader.fromCheckpoints(dp, pred), export);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            loader.loadClass(name.group(1)).getMethod("main", String[].class).invoke(null, (Object) new String[] {export.toString()});
        }
    }

    @Test
    void theConsumerProjectRunsTheReadmesExampleAsWritten() throws Exception {
        // examples/consumer is what scripts/consumer-check.sh (run by CI) builds in a separate Maven project.
        String section = section(Files.readString(README), "## Use it from Java");
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(block.find());
        assertEquals(block.group(1), Files.readString(Path.of("examples/consumer/src/main/java/RobotLoop.java")),
                "examples/consumer's RobotLoop.java is the README's block");
        String pom = Files.readString(Path.of("examples/consumer/pom.xml"));
        String stepInfer = Files.readString(Path.of("step-infer/pom.xml"));
        Matcher version = Pattern.compile("<parent>.*?<version>(.*?)</version>", Pattern.DOTALL).matcher(stepInfer);
        assertTrue(version.find());
        assertTrue(pom.contains("<artifactId>step-infer</artifactId>") && pom.contains("<version>" + version.group(1) + "</version>"),
                "examples/consumer depends on step-infer " + version.group(1));
    }

    @Test
    void theMavenCoordinatesAreStepInfers() throws Exception {
        String section = section(Files.readString(README), "## Use it from Java");
        String pom = Files.readString(Path.of("step-infer/pom.xml"));
        Matcher version = Pattern.compile("<parent>.*?<version>(.*?)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(version.find());
        for (String line : List.of("<groupId>org.steppolicy</groupId>", "<artifactId>step-infer</artifactId>",
                "<version>" + version.group(1) + "</version>"))
            assertTrue(section.contains(line), "README lacks " + line);
    }

    /** The text from a heading to the next heading of the same level. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading + "\n");
        assertTrue(start >= 0, "README.md has no section '" + heading + "'");
        int end = markdown.indexOf("\n## ", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** Surefire's real test classpath (java.class.path may be a manifest-only jar). */
    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

}
