package dev.pgkafka.adapter.kafka.regex;

import java.util.function.Predicate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import dev.pgkafka.domain.regex.InvalidRegexException;
import dev.pgkafka.domain.regex.RegexEngine;

/**
 * Client regexes compiled with RE2/J, as Kafka's group coordinator compiles them: an automaton, so
 * matching takes time linear in the name whatever the expression (no backtracking, hence no
 * backreferences or lookaround), and a name matches only as a whole ({@code matches()}).
 */
public final class Re2jRegexEngine implements RegexEngine {
    public static final Re2jRegexEngine INSTANCE = new Re2jRegexEngine();

    private Re2jRegexEngine() {
    }

    @Override
    public Predicate<String> compile(String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidRegexException(e.getDescription());
        }
        return name -> pattern.matches(name);
    }
}
