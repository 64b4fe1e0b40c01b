package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The image ops of both SameDiff renderings against PyTorch: {@link MiniConvNet}'s features and the gradients of
 * Σ probe ⊙ features for every parameter, float64, from scripts/torch_conv_fixture.py. The training rendering holds
 * images pixel-major and convolves by im2col + GEMM; the inference rendering uses ND4J's conv2d. Both pool the last
 * map twice, by its average and by spatial softmax (policy.image_pool).
 */
class ImageTorchFixtureTest {

    private static INDArray arr(Path f) throws IOException {
        Npy n = Npy.read(f);
        return Nd4j.create(n.data(), n.shape(), 'c');
    }

    @Test
    void outputsAndGradientsMatchPyTorch() throws Exception {
        Path dir = Path.of(getClass().getResource("/conv-fixture/names.txt").toURI()).getParent();
        List<String> names = Files.readAllLines(dir.resolve("names.txt")).stream().filter(s -> !s.isBlank()).toList();
        MiniConvNet net = new MiniConvNet();
        Map<String, ParamSpec> specs = net.parameters();
        assertEquals(new java.util.TreeSet<>(names), new java.util.TreeSet<>(specs.keySet()));
        for (String n : names) assertArrayEquals(Npy.read(dir.resolve("w__" + n + ".npy")).shape(), specs.get(n).shape(), n);
        assertEquals(10_731, net.parameterCount());
        Map<String, INDArray> feed = Map.of("image", arr(dir.resolve("io__image.npy")));
        for (boolean training : new boolean[] {true, false}) {
            SameDiff sd = SameDiff.create();
            net.define(new SameDiffBuilder(sd, n -> {
                try {
                    return arr(dir.resolve("w__" + n + ".npy"));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, DataType.DOUBLE, training));
            sd.getVariable(net.outputName()).mul(sd.constant(arr(dir.resolve("io__probe.npy")))).sum().rename("loss");
            sd.setLossVariables("loss");
            String what = training ? "training rendering: " : "inference rendering: ";
            INDArray features = sd.output(new HashMap<>(feed), net.outputName()).get(net.outputName());
            UnetTorchFixtureTest.assertClose(arr(dir.resolve("io__features.npy")), features, 1e-9, what + "features");
            Map<String, INDArray> grads = sd.calculateGradients(new HashMap<>(feed), names);
            for (String n : names) UnetTorchFixtureTest.assertClose(arr(dir.resolve("g__" + n + ".npy")), grads.get(n), 1e-9, what + "grad " + n);
        }
    }
}
