package dev.pgkafka.domain.security.scram;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * One {@code --add-scram} argument in the syntax of Kafka's {@code kafka-storage format --add-scram}
 * (Kafka's {@code ScramParser}):
 *
 * <pre>{@code
 * SCRAM-SHA-512=[name=admin,password=admin-secret]
 * SCRAM-SHA-256=[name=alice,iterations=8192,salt=<base64>,saltedpassword=<base64>]
 * }</pre>
 *
 * Components are split at commas (so values cannot contain one) and a value may be wrapped in double
 * quotes. Kafka's messages, except that none repeats the argument, a component or a salted password:
 * any of them may hold the password. {@link #toString()} hides the secrets too.
 */
public final class AddScramArgument {
    /** Kafka's default for an argument without {@code iterations}. */
    public static final int DEFAULT_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScramMechanism mechanism;
    private final String name;
    private final Optional<byte[]> salt;
    private final OptionalInt iterations;
    private final Optional<String> password;
    private final Optional<byte[]> saltedPassword;

    private AddScramArgument(ScramMechanism mechanism, String name, Optional<byte[]> salt, OptionalInt iterations,
                             Optional<String> password, Optional<byte[]> saltedPassword) {
        this.mechanism = mechanism;
        this.name = name;
        this.salt = salt;
        this.iterations = iterations;
        this.password = password;
        this.saltedPassword = saltedPassword;
    }

    /**
     * Parses and checks the arguments and derives their credentials (random salts where none is given).
     *
     * @throws IllegalArgumentException naming what is wrong, never a password
     */
    public static List<UserScramCredential> credentials(List<String> arguments) {
        List<UserScramCredential> out = new ArrayList<>(arguments.size());
        for (String argument : arguments) {
            out.add(parse(argument).toCredential());
        }
        return out;
    }

    /** @throws IllegalArgumentException naming what is wrong, never a password */
    public static AddScramArgument parse(String argument) {
        String input = argument.trim();
        int equals = input.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("Failed to find equals sign in SCRAM argument "
                    + "(expected e.g. SCRAM-SHA-512=[name=admin,password=...])");
        }
        String mechanismName = input.substring(0, equals);
        String config = input.substring(equals + 1);
        ScramMechanism mechanism = ScramMechanism.forMechanismName(mechanismName).orElseThrow(() ->
                new IllegalArgumentException("The add-scram mechanism " + mechanismName + " is not supported."));
        if (!config.startsWith("[")) {
            throw new IllegalArgumentException("Expected configuration string to start with [");
        }
        if (!config.endsWith("]")) {
            throw new IllegalArgumentException("Expected configuration string to end with ]");
        }
        Map<String, String> components = components(config.substring(1, config.length() - 1));

        String name = components.remove("name");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("You must supply 'name' to add-scram");
        }
        Optional<byte[]> salt = Optional.empty();
        String saltText = components.remove("salt");
        if (saltText != null) {
            try {
                salt = Optional.of(Base64.getDecoder().decode(saltText));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Failed to decode given salt: " + saltText);
            }
        }
        OptionalInt iterations = OptionalInt.empty();
        String iterationsText = components.remove("iterations");
        if (iterationsText != null) {
            try {
                iterations = OptionalInt.of(Integer.parseInt(iterationsText));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Failed to parse iterations count: " + iterationsText);
            }
        }
        String passwordText = components.remove("password");
        String saltedPasswordText = components.remove("saltedpassword");
        Optional<String> password = Optional.empty();
        Optional<byte[]> saltedPassword = Optional.empty();
        if (passwordText == null) {
            if (saltedPasswordText == null) {
                throw new IllegalArgumentException("You must supply one of 'password' or 'saltedpassword' to add-scram");
            }
            if (salt.isEmpty()) {
                throw new IllegalArgumentException("You must supply 'salt' with 'saltedpassword' to add-scram");
            }
            try {
                saltedPassword = Optional.of(Base64.getDecoder().decode(saltedPasswordText));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Failed to decode given saltedPassword (it is not base64)");
            }
            if (saltedPassword.get().length == 0) {
                throw new IllegalArgumentException("The 'saltedpassword' must not be empty for add-scram");
            }
        } else {
            if (passwordText.isEmpty()) {
                throw new IllegalArgumentException("The 'password' must not be empty for add-scram");
            }
            password = Optional.of(passwordText);
        }
        if (!components.isEmpty()) {
            // the names are not repeated: with a comma in a password, they are pieces of it
            throw new IllegalArgumentException("Unknown SCRAM configurations (" + components.size() + "); add-scram takes "
                    + "name, password, saltedpassword, salt and iterations, and values cannot contain commas");
        }
        AddScramArgument parsed = new AddScramArgument(mechanism, name, salt, iterations, password, saltedPassword);
        parsed.checkIterations();
        return parsed;
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }

    public String name() {
        return name;
    }

    public int iterations() {
        return iterations.orElse(DEFAULT_ITERATIONS);
    }

    /** The credential to store: the given salt or a random one, StoredKey and ServerKey from the (salted) password. */
    public UserScramCredential toCredential() {
        byte[] s = salt.map(byte[]::clone).orElseGet(AddScramArgument::randomSalt);
        int i = iterations();
        byte[] salted = saltedPassword.map(byte[]::clone).orElseGet(() -> mechanism.saltedPassword(password.orElseThrow(), s, i));
        return new UserScramCredential(name, mechanism, mechanism.credential(s, salted, i));
    }

    @Override
    public String toString() {
        return "AddScramArgument(mechanism=" + mechanism.mechanismName() + ", name=" + name + ", iterations=" + iterations()
                + ", salt=" + (salt.isPresent() ? "given" : "random") + ", secret=[hidden])";
    }

    private void checkIterations() {
        int i = iterations();
        if (i < mechanism.minIterations()) {
            throw new IllegalArgumentException("The 'iterations' value must be >= " + mechanism.minIterations()
                    + " for add-scram using " + mechanism.name());
        }
        if (i > mechanism.maxIterations()) {
            throw new IllegalArgumentException("The 'iterations' value must be <= " + mechanism.maxIterations()
                    + " for add-scram using " + mechanism.name());
        }
    }

    /** {@code key=value} pairs split at commas; a value in double quotes loses them; the last of a key wins. */
    private static Map<String, String> components(String config) {
        Map<String, String> components = new TreeMap<>();
        String[] parts = config.split(",");
        for (int n = 0; n < parts.length; n++) {
            String part = parts[n];
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("No equals sign found in SCRAM component " + (n + 1)
                        + " (values cannot contain commas)");
            }
            String value = part.substring(equals + 1);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            components.put(part.substring(0, equals), value);
        }
        return components;
    }

    private static byte[] randomSalt() {
        byte[] salt = new byte[24];
        RANDOM.nextBytes(salt);
        return salt;
    }
}
