package dev.lambkin.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** The container's peak memory use, from its cgroup (v2 memory.peak, else v1 memory.max_usage_in_bytes). */
final class MemoryUsage {
    static final List<Path> PEAK_FILES = List.of(Path.of("/sys/fs/cgroup/memory.peak"),
            Path.of("/sys/fs/cgroup/memory/memory.max_usage_in_bytes"));

    private MemoryUsage() {
    }

    static OptionalLong peakBytes() {
        return peakBytes(PEAK_FILES);
    }

    static OptionalLong peakBytes(List<Path> candidates) {
        for (Path p : candidates) {
            try {
                if (Files.isReadable(p)) {
                    return OptionalLong.of(Long.parseLong(Files.readString(p).trim()));
                }
            } catch (IOException | NumberFormatException e) {
                // try the next source; the header is optional
            }
        }
        return OptionalLong.empty();
    }
}
