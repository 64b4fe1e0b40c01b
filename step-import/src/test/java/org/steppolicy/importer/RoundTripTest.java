package org.steppolicy.importer;

import org.steppolicy.models.DpArch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;

/** A DP trained here, written as a diffusion_policy checkpoint and imported back, is the same checkpoint. */
class RoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void nativeToDiffusionPolicyAndBack() throws Exception {
        Path nat = TinyNativeDp.write(tmp.resolve("native"), true);
        Path ckpt = tmp.resolve("latest.ckpt");
        DiffusionPolicyCheckpointWriter.write(DiffusionPolicyCheckpointWriter.fromNative(nat), ckpt);
        Path out = tmp.resolve("imported");
        PolicyImporter.importPolicy(ckpt, out, null);

        Checkpoint a = Checkpoint.load(nat), b = Checkpoint.load(out);
        DpArch x = a.dpArch(), y = b.dpArch();
        // the import adds the upstream sampler beside the arch; everything else round-trips
        assertEquals(x, new DpArch(y.unet(), y.horizon(), y.nObsSteps(), y.nActionSteps(), y.obsDim(), y.actionDim(),
                y.numTrainTimesteps(), y.image(), null));
        assertSame(a.model(), b.model());
        assertSame(a.ema(), b.ema());
        assertEquals(a.normalizerJson().replaceAll("\\s", ""), b.normalizerJson().replaceAll("\\s", ""));
        assertEquals(7, b.step());
        // --weights model: no EMA file, the raw weights run
        PolicyImporter.importPolicy(ckpt, tmp.resolve("raw"), PolicyImporter.Weights.MODEL);
        assertSame(a.model(), Checkpoint.load(tmp.resolve("raw")).evalParams());
        assertEquals(false, Files.exists(tmp.resolve("raw").resolve(Checkpoint.EMA)));
    }

    static void assertSame(TensorStore x, TensorStore y) {
        assertEquals(x.names(), y.names());
        for (String n : x.names()) {
            assertArrayEquals(x.get(n).shape(), y.get(n).shape(), n);
            assertArrayEquals(x.get(n).data(), y.get(n).data(), n);
        }
    }
}
