package dev.pgkafka.application.memory;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.pgkafka.domain.regex.InvalidRegexException;
import dev.pgkafka.domain.regex.RegexEngine;

/** The JDK's engine for application tests; the broker compiles client regexes with RE2/J (the wire adapter). */
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
