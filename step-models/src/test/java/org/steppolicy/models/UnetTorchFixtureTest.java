package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff rendering of ConditionalUnet1d against PyTorch: weights, inputs, outputs and gradients of a
 * tiny seeded model ([8,16,32], step embedding 16, global cond 40, horizon 16, batch 4, float64) written by
 * shared/bench/torch_unet.py {@code export dims=8,16,32}. Float64 in SameDiff too, so 1e-5 is a real bound.
 */
class UnetTorchFixtureTest {

    private static Path dir() throws URISyntaxException {
        return Path.of(UnetTorchFixtureTest.class.getResource("/unet-fixture/names.txt").toURI()).getParent();
    }

    private static INDArray arr(Path f) throws IOException {
        Npy n = Npy.read(f);
        return Nd4j.create(n.data(), n.shape(), 'c');
    }

    @Test
    void outputsAndGradientsMatchPyTorch() throws Exception {
        Path dir = dir();
        List<String> torchNames = Files.readAllLines(dir.resolve("names.txt")).stream().filter(s -> !s.isBlank()).toList();
        ConditionalUnet1d net = new ConditionalUnet1d(UnetConfig.of(2, 40, List.of(8, 16, 32), 16), 16);

        // Same parameter set, names and shapes as the PyTorch state_dict.
        Map<String, ParamSpec> specs = net.parameters();
        assertEquals(new java.util.TreeSet<>(torchNames), new java.util.TreeSet<>(specs.keySet()));
        for (String n : torchNames) {
            assertArrayEquals(Npy.read(dir.resolve("w__" + n + ".npy")).shape(), specs.get(n).shape(), n);
        }
        assertEquals(88794, net.parameterCount());

        SameDiff sd = SameDiff.create();
        SameDiffBuilder b = new SameDiffBuilder(sd, name -> {
            try {
                return arr(dir.resolve("w__" + name + ".npy"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, DataType.DOUBLE, true);
        net.define(b);
        SDVariable pred = sd.getVariable(ConditionalUnet1d.NOISE_PRED);
        SDVariable noise = sd.placeHolder("noise", DataType.DOUBLE, -1, 16, 2);
        SDVariable diff = pred.sub(noise);
        sd.math.square(diff).mean("loss");
        sd.setLossVariables("loss");

        Map<String, INDArray> feed = new HashMap<>();
        feed.put("sample", arr(dir.resolve("io__sample.npy")));
        feed.put("timestep", arr(dir.resolve("io__timestep.npy")));
        feed.put("global_cond", arr(dir.resolve("io__global_cond.npy")));
        feed.put("noise", arr(dir.resolve("io__noise.npy")));

        Map<String, INDArray> out = sd.output(feed, ConditionalUnet1d.NOISE_PRED, "loss");
        INDArray expected = arr(dir.resolve("io__pred.npy"));
        assertClose(expected, out.get(ConditionalUnet1d.NOISE_PRED), 1e-5, "noise_pred");
        assertEquals(Npy.read(dir.resolve("io__loss.npy")).data()[0], out.get("loss").getDouble(0), 1e-5);

        Map<String, INDArray> grads = sd.calculateGradients(feed, torchNames);
        for (String n : torchNames) {
            assertClose(arr(dir.resolve("g__" + n + ".npy")), grads.get(n), 1e-5, "grad " + n);
        }
    }

    static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double maxAbs = Math.max(1, expected.amaxNumber().doubleValue());
        double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(err <= tol * maxAbs, what + ": max abs error " + err + " (scale " + maxAbs + ")");
    }
}
