package dev.lambkin.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the helm binary (LAMBKIN_HELM, else helm on PATH) against the test cluster. */
final class Helm {
    private final Path kubeconfig;

    Helm(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(System.getenv().getOrDefault("LAMBKIN_HELM", "helm"),
                "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("helm " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }
}
