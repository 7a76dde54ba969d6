package dev.pgkafka.domain.regex;

import java.util.function.Predicate;

/**
 * The rules for a regular expression a client chooses, checked before the broker's {@link RegexEngine}
 * sees it: at most {@link #MAX_LENGTH} characters, and at most {@link #MAX_EXPANDED_SIZE} once its
 * counted repetitions are written out. Kafka checks neither. A linear-time engine is linear in the
 * expression's size too, and RE2/J compiles {@code x{n}} as n copies of x without a limit, so
 * {@code ((a{1000}){1000}){1000}} (23 characters) would take it a billion instructions and the heap.
 */
public final class ClientRegex {
    /** The longest expression accepted, in characters: an alternation of dozens of topic names fits. */
    public static final int MAX_LENGTH = 1024;
    /**
     * The most literals and operators an expression may expand to. Topic names have at most 249
     * characters, so larger repetitions match nothing more; this keeps compiling cheap and matching one
     * name a matter of microseconds.
     */
    public static final long MAX_EXPANDED_SIZE = 10_000;

    private ClientRegex() {
    }

    /**
     * @return whether a name matches the expression as a whole
     * @throws InvalidRegexException when it is too long, expands too far or is not valid
     */
    public static Predicate<String> compile(RegexEngine engine, String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new InvalidRegexException("it is " + regex.length() + " characters long, more than the "
                    + MAX_LENGTH + " this broker accepts");
        }
        long size = new SizeEstimate(regex).alternation();
        if (size > MAX_EXPANDED_SIZE) {
            throw new InvalidRegexException("its repetitions expand to more than " + MAX_EXPANDED_SIZE
                    + " elements, more than this broker accepts");
        }
        return engine.compile(regex);
    }

    /**
     * An upper bound of an expression's size with its counted repetitions written out: literals, classes
     * and operators count one, {@code x{n,m}} counts m times x. Lenient with bad syntax (the engine refuses
     * it); sums saturate above the limit.
     */
    private static final class SizeEstimate {
        private final String s;
        private int i;

        SizeEstimate(String s) {
            this.s = s;
        }

        long alternation() {
            long size = concatenation();
            while (i < s.length() && s.charAt(i) == '|') {
                i++;
                size = add(size, 1 + concatenation());
            }
            return size;
        }

        private long concatenation() {
            long size = 0;
            while (i < s.length() && s.charAt(i) != '|' && s.charAt(i) != ')') {
                long atom = atom();
                long times;
                while ((times = quantifier()) > 0) {
                    atom = Math.min(atom * times + 1, MAX_EXPANDED_SIZE + 1);
                }
                size = add(size, atom);
            }
            return size;
        }

        /** The multiplier of a quantifier at the position (consumed), else 0. */
        private long quantifier() {
            if (i >= s.length()) {
                return 0;
            }
            char c = s.charAt(i);
            if (c == '*' || c == '+' || c == '?') {
                i++;
                skipLazy();
                return 1;
            }
            if (c == '{') {
                int close = s.indexOf('}', i);
                String body = close < 0 ? "" : s.substring(i + 1, close);
                if (body.matches("\\d{1,9}(,\\d{0,9})?")) {
                    int comma = body.indexOf(',');
                    long max = comma < 0 ? Long.parseLong(body)
                            : comma == body.length() - 1 ? Long.parseLong(body.substring(0, comma)) + 1
                            : Long.parseLong(body.substring(comma + 1));
                    i = close + 1;
                    skipLazy();
                    return Math.max(max, 1);
                }
            }
            return 0;
        }

        private void skipLazy() {
            if (i < s.length() && s.charAt(i) == '?') {
                i++;
            }
        }

        private long atom() {
            char c = s.charAt(i++);
            switch (c) {
                case '(' -> {
                    if (i < s.length() && s.charAt(i) == '?') { // flags, a non-capturing or a named group
                        while (i < s.length() && s.charAt(i) != ':' && s.charAt(i) != ')' && s.charAt(i) != '>') {
                            i++;
                        }
                        if (i < s.length() && s.charAt(i) == ')') {
                            i++;
                            return 0;
                        }
                        i++;
                    }
                    long inner = alternation();
                    if (i < s.length()) {
                        i++; // ')'
                    }
                    return add(inner, 1);
                }
                case '[' -> {
                    skipClass();
                    return 1;
                }
                case '\\' -> {
                    return escape();
                }
                default -> {
                    return 1;
                }
            }
        }

        private void skipClass() {
            if (i < s.length() && s.charAt(i) == '^') {
                i++;
            }
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
            }
            while (i < s.length() && s.charAt(i) != ']') {
                if (s.charAt(i) == '\\') {
                    i++;
                } else if (s.startsWith("[:", i)) {
                    int end = s.indexOf(":]", i + 2);
                    i = end < 0 ? i : end + 1;
                }
                i++;
            }
            i++;
        }

        private long escape() {
            if (i >= s.length()) {
                return 1;
            }
            char c = s.charAt(i++);
            if (c == 'Q') { // literal text up to \E
                int end = s.indexOf("\\E", i);
                int stop = end < 0 ? s.length() : end;
                long size = stop - i;
                i = end < 0 ? stop : end + 2;
                return Math.max(size, 1);
            }
            if ((c == 'p' || c == 'P' || c == 'x') && i < s.length() && s.charAt(i) == '{') {
                int end = s.indexOf('}', i);
                i = end < 0 ? s.length() : end + 1;
            }
            return 1;
        }

        private static long add(long a, long b) {
            return Math.min(a + b, MAX_EXPANDED_SIZE + 1);
        }
    }
}
