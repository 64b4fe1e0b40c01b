package org.steppolicy.models;

import org.nd4j.autodiff.listeners.*;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import java.util.*;

/**
 * Not a test: runs a small inference graph ({@code unet}: OnnxEquivalenceTest's global-condition U-Net; otherwise its
 * CVAE decoder) three times with platform helpers off, then three times on, recording every op's output, order and
 * strides; prints where the "on" runs part from the first "off" run. {@code -DnoHelperFor=op,op} keeps helpers off for
 * those ops, {@code -DbadOnly=true} prints only the differing ops. Meaningful on the {@code -Ponednn} build only
 * (docs/performance.md); {@code DNNL_VERBOSE=1} shows the memory layouts oneDNN was given.
 */
public class OneDnnTrace {
    static final Set<String> NO_HELPER_FOR = PlatformHelpers.parse(System.getProperty("noHelperFor"));
    static List<String> names = new ArrayList<>(), ops = new ArrayList<>();
    static List<INDArray[]> outs = new ArrayList<>();
    static List<String> info = new ArrayList<>();
    public static void main(String[] a) throws Exception {
        NetworkDefinition net;
        TensorStore params;
        Random r = new Random(5);
        Map<String, INDArray> feed = new HashMap<>();
        if (a.length > 0 && a[0].equals("unet")) {
            ConditionalUnet1d u = new ConditionalUnet1d(UnetConfig.of(2, 40, List.of(16, 32, 64), 32), 16);
            net = u; int batch = 3;
            feed.put("sample", Nd4j.create(OnnxEquivalenceTest.gaussian(r, batch * 16 * 2), new long[]{batch, 16, 2}, 'c'));
            feed.put("timestep", Nd4j.create(new float[]{0, 17, 99}, new long[]{batch}, 'c'));
            feed.put("global_cond", Nd4j.create(OnnxEquivalenceTest.gaussian(r, batch * 40), new long[]{batch, 40}, 'c'));
            params = OnnxEquivalenceTest.perturbed(u.initParams(7), new Random(99));
        } else {
            CvaeDecoderNet c = new CvaeArch(4, List.of(32, 16), 16, 2, 10).decoder();
            net = c; int batch = 3;
            feed.put(CvaeDecoderNet.LATENT, Nd4j.create(OnnxEquivalenceTest.gaussian(r, batch * 4), new long[]{batch, 4}, 'c'));
            feed.put(ConditionalUnet1d.GLOBAL_COND, Nd4j.create(OnnxEquivalenceTest.gaussian(r, batch * 10), new long[]{batch, 10}, 'c'));
            params = OnnxEquivalenceTest.perturbed(c.initParams(11), new Random(99));
        }
        SameDiff sd = SameDiffBuilder.build(net, params, false);
        sd.setListeners(new BaseListener() {
            public boolean isActive(Operation op) { return true; }
            public void preOpExecution(SameDiff s, At at, SameDiffOp op, OpContext ctx) {
                if (ctx != null && NO_HELPER_FOR.contains(op.getOp().opName())) ctx.allowHelpers(false);
            }
            public void opExecution(SameDiff s, At at, MultiDataSet b, SameDiffOp op, OpContext ctx, INDArray[] o) {
                INDArray[] c = new INDArray[o.length];
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < o.length; i++) { c[i] = o[i].dup('c'); sb.append(Arrays.toString(o[i].shape())).append(o[i].ordering()).append(Arrays.toString(o[i].stride())).append(" buf ").append(o[i].data().length()).append(" off ").append(o[i].offset()).append(" ews ").append(o[i].elementWiseStride()).append(' '); }
                if (ctx != null) sb.append(" iargs ").append(ctx.getIArguments()).append(" bargs ").append(ctx.getBArguments()).append(" targs ").append(ctx.getTArguments()).append(' ');
                sb.append("<- ");
                if (ctx != null) for (INDArray x : ctx.getInputArrays()) sb.append(Arrays.toString(x.shape())).append(x.ordering()).append(Arrays.toString(x.stride())).append(x.isView() ? "v " : " ");
                names.add(op.getName()); ops.add(op.getOp().opName()); outs.add(c); info.add(sb.toString());
            }
        });
        List<List<INDArray[]>> runs = new ArrayList<>();
        List<List<String>> infos = new ArrayList<>();
        for (boolean h : new boolean[]{false, true}) for (int k = 0; k < 3; k++) {
            Nd4j.getEnvironment().allowHelpers(h);
            System.out.println("=== start helpers " + h + " call " + k); System.out.flush();
            names.clear(); ops.clear(); outs = new ArrayList<>(); info = new ArrayList<>();
            sd.output(feed, net.outputName());
            runs.add(outs); infos.add(info);
        }
        for (int k = 0; k < runs.size(); k++) {
            System.out.println("run " + k + (k < 3 ? " helpers off" : " helpers on"));
            for (int i = 0; i < names.size(); i++) {
                double d = 0;
                for (int j = 0; j < runs.get(0).get(i).length; j++) {
                    INDArray x = runs.get(0).get(i)[j], y = runs.get(k).get(i)[j];
                    d = Math.max(d, x.castTo(DataType.DOUBLE).sub(y.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / Math.max(1e-30, x.amaxNumber().doubleValue()));
                }
                if (!Boolean.getBoolean("badOnly") || d > 1e-4) System.out.printf("  %-4s %-14s %-14s rel %.2e  %s%n", d > 1e-4 ? "BAD" : "ok", names.get(i), ops.get(i), d, infos.get(k).get(i));
            }
        }
    }
}
