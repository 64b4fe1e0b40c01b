package org.steppolicy.train;

import java.util.List;

/** Manual benchmark entry (not a test): java ... TrainBenchMain dims batch warmup steps [inpaint]. */
final class TrainBenchMain {
    public static void main(String[] a) {
        List<Integer> dims = java.util.Arrays.stream(a[0].split(",")).map(Integer::parseInt).toList();
        DpTrainSettings s = DpTrainSettings.pushT().withNet(dims, 256).withObsAsGlobalCond(a.length < 5)
                .withSchedule(Integer.parseInt(a[1]), 1000, 500, 500, 1000);
        System.out.println(TrainBench.run(s, 20, 2, Integer.parseInt(a[2]), Integer.parseInt(a[3]), System.out).report());
    }
}
