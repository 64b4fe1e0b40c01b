package org.steppolicy.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A reference method against another one on the same episode seeds (same seed, same start state): the mean of the
 * per-episode score differences {@code reference − method} with its bootstrap interval over episodes
 * ({@link BootstrapInterval}). Pairing removes the episodes' own difficulty from the comparison, so the interval is
 * narrower than the two methods' intervals side by side suggest.
 */
public record PairedComparison(String reference, String method, int episodes, BootstrapInterval difference) {

    /**
     * Reference against each other method of {@code results}, in their order; none when the reference is not there.
     * A partial method (an interrupted evaluation) is compared only where it ran the reference's seeds.
     */
    public static List<PairedComparison> against(String reference, List<MethodResult> results) {
        MethodResult ref = results.stream().filter(r -> r.method().equals(reference)).findFirst().orElse(null);
        List<PairedComparison> out = new ArrayList<>();
        if (ref == null) return out;
        for (MethodResult r : results)
            if (r != ref && (ref.complete() && r.complete() || ref.episodeSeeds().equals(r.episodeSeeds()))) out.add(of(ref, r));
        return out;
    }

    /** {@code a − b}, episode by episode; the two must have run the same seeds. */
    public static PairedComparison of(MethodResult a, MethodResult b) {
        if (!a.episodeSeeds().equals(b.episodeSeeds()))
            throw new IllegalArgumentException(a.method() + " and " + b.method() + " ran different episode seeds: no paired comparison");
        int n = a.episodeScores().size();
        List<Double> d = new ArrayList<>(n);
        for (int i = 0; i < n; i++) d.add(a.episodeScores().get(i) - b.episodeScores().get(i));
        return new PairedComparison(a.method(), b.method(), n, BootstrapInterval.of(d));
    }

    /** The Markdown section of paired differences, or "" for none. */
    public static String markdown(List<PairedComparison> comparisons) {
        if (comparisons.isEmpty()) return "";
        PairedComparison first = comparisons.get(0);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Paired differences against %s on the same %d episode seeds (%s - method; 95 %% bootstrap "
                + "interval over episodes; * the interval excludes 0):%n%n", first.reference(), first.episodes(), first.reference()));
        sb.append("| comparison | difference [95 % interval] | excludes 0 |\n|---|---|---|\n");
        for (PairedComparison c : comparisons)
            sb.append(String.format(Locale.ROOT, "| %s - %s | %s | %s |%n", c.reference(), c.method(), c.difference().formatSigned(),
                    c.difference().excludesZero() ? "yes *" : "no"));
        return sb.toString();
    }
}
