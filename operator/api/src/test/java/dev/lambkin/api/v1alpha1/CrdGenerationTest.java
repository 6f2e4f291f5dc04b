package dev.lambkin.api.v1alpha1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * Generates the CRDs from the model with Fabric8's CRD generator and checks that {@code crds/} and the chart's
 * copy hold exactly them. {@code hack/update-crds.sh} (this test with {@code -Dlambkin.crds.update=true})
 * rewrites the committed files.
 */
class CrdGenerationTest {
    static final List<Class<? extends CustomResource<?, ?>>> KINDS =
            List.of(Function.class, Trigger.class, DeadLetterQueue.class);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

    @Test
    void committedCrdsMatchTheModel() throws IOException {
        Map<String, String> generated = generate(Path.of(System.getProperty("lambkin.crds.generated", "target/crds")));
        assertEquals(KINDS.size(), generated.size(), "one CRD per kind");
        boolean update = Boolean.getBoolean("lambkin.crds.update");
        for (String dir : System.getProperty("lambkin.crds.committed", "../../crds,../../helm/lambkin/crds").split(",")) {
            Path committed = Path.of(dir);
            if (update) {
                write(committed, generated);
            }
            Map<String, String> actual = read(committed);
            List<String> drifted = new ArrayList<>(generated.keySet().stream()
                    .filter(name -> !generated.get(name).equals(actual.get(name))).toList());
            actual.keySet().stream().filter(name -> !generated.containsKey(name)).forEach(drifted::add);
            assertTrue(drifted.isEmpty(), committed.normalize() + " differs from the CRDs generated from the Java model in "
                    + drifted + ": run hack/update-crds.sh and commit the result");
        }
    }

    @Test
    void printerColumnsKeepTheOrderDeclaredOnTheClass() throws IOException {
        JsonNode crd = YAML.readTree(generate(Path.of("target/crds-order")).get("functions.lambkin.dev.yaml"));
        List<String> names = new ArrayList<>();
        crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("Ready", "Reason", "Replicas", "Min", "Max", "Cold Starts", "Image", "URL", "Age"), names);
        assertTrue(crd.at("/spec/versions/0/subresources/status").isObject(), "status subresource");
        assertTrue(crd.at("/spec/versions/0/subresources/scale").isMissingNode(), "no scale subresource: the gateway scales the Deployment");
    }

    /** Runs the generator, then orders printer columns as declared (the generator sorts them by JSON path). */
    static Map<String, String> generate(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        new CRDGenerator().inOutputDir(outDir.toFile()).forCRDVersions("v1")
                .customResourceClasses(KINDS.toArray(Class[]::new)).generate();
        Map<String, String> result = new TreeMap<>();
        for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
            String plural = HasMetadata.getPlural(kind), group = HasMetadata.getGroup(kind);
            Path file = outDir.resolve(plural + "." + group + "-v1.yml");
            ObjectNode crd = (ObjectNode) YAML.readTree(file.toFile());
            List<String> order = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name).toList();
            for (JsonNode version : crd.at("/spec/versions")) {
                ArrayNode columns = (ArrayNode) version.get("additionalPrinterColumns");
                List<JsonNode> sorted = new ArrayList<>();
                columns.forEach(sorted::add);
                sorted.sort(Comparator.comparingInt(c -> order.indexOf(c.get("name").asText())));
                columns.removeAll();
                columns.addAll(sorted);
            }
            String header = "# Generated from the Java model in operator/api by hack/update-crds.sh. Do not edit.\n";
            result.put(plural + "." + group + ".yaml", header + YAML.writeValueAsString(crd));
        }
        return result;
    }

    private static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : list.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private static void write(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        for (String stale : read(dir).keySet()) {
            if (!files.containsKey(stale)) {
                Files.delete(dir.resolve(stale));
            }
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
    }
}
