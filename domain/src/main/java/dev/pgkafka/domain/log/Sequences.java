package dev.pgkafka.domain.log;

/** Producer sequence arithmetic: sequences are non-negative ints that wrap to 0 after Integer.MAX_VALUE. */
public final class Sequences {
    private Sequences() {
    }

    public static int add(int sequence, int delta) {
        long next = (long) sequence + delta;
        return (int) (next > Integer.MAX_VALUE ? next - Integer.MAX_VALUE - 1 : next);
    }

    /** True when {@code next} directly follows {@code last}. */
    public static boolean follows(int last, int next) {
        return add(last, 1) == next;
    }
}
