package org.steppolicy.sim;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Paths of the shared data, relative to the repository root (Surefire's working directory). */
final class TestData {
    static final Path REFERENCE = Path.of("../shared/data/reference");
    static final Path LOWDIM = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");
    static final Path IMAGE = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_image.hdf5");

    private TestData() {}

    static Path require(Path p) {
        assumeTrue(Files.exists(p), p + " is absent: skipping (the shared data is not mounted)");
        return p;
    }
}
