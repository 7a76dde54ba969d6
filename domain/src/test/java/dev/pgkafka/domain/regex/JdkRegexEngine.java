package dev.pgkafka.domain.regex;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The JDK's engine, for domain tests only: the broker uses RE2/J (the wire adapter's
 * {@code Re2jRegexEngine}), whose syntax agrees with the JDK's on what these tests use.
 */
public final class JdkRegexEngine implements RegexEngine {
    public static final JdkRegexEngine INSTANCE = new JdkRegexEngine();

    @Override
    public Predicate<String> compile(String regex) {
        try {
            Pattern pattern = Pattern.compile(regex);
            return name -> pattern.matcher(name).matches();
        } catch (PatternSyntaxException e) {
            throw new InvalidRegexException(e.getDescription());
        }
    }
}
