package dev.pgkafka.bootstrap.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's config providers (KIP-297, KIP-887), so secrets stay out of {@code server.properties}:
 * with {@code config.providers=file,env,dir} and each provider's class named as in Kafka,
 * {@code ${file:/etc/kafka/secrets.properties:keystore.password}} reads a key of a properties file,
 * {@code ${env:KEYSTORE_PASSWORD}} an environment variable, {@code ${dir:/run/secrets:keystore-password}}
 * a whole file of a directory.
 */
final class ConfigProviders {
    static final String FILE_PROVIDER = "org.apache.kafka.common.config.provider.FileConfigProvider";
    static final String DIRECTORY_PROVIDER = "org.apache.kafka.common.config.provider.DirectoryConfigProvider";
    static final String ENV_PROVIDER = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

    /** Kafka's reference syntax: ${provider:[path:]key}. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*?):(([^}]*?):)?([^}]*?)}");

    private ConfigProviders() {
    }

    /** The values with every reference to a configured provider replaced. */
    static Map<String, String> resolve(Map<String, String> values, Map<String, String> env) {
        Map<String, String> providers = new HashMap<>();
        for (String name : ServerProperties.list(values.get("config.providers"))) {
            String classKey = "config.providers." + name + ".class";
            String className = values.get(classKey);
            if (className == null) {
                throw new ConfigException("config provider '" + name + "' is listed in config.providers but "
                        + classKey + " is not set");
            }
            if (!className.equals(FILE_PROVIDER) && !className.equals(DIRECTORY_PROVIDER)
                    && !className.equals(ENV_PROVIDER)) {
                throw ConfigException.invalid(classKey, className, "pgkafka supports Kafka's FileConfigProvider, "
                        + "DirectoryConfigProvider and EnvVarConfigProvider");
            }
            providers.put(name, className);
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            out.put(e.getKey(), providers.isEmpty() ? e.getValue() : substitute(e.getKey(), e.getValue(), providers, values,
                    env));
        }
        return out;
    }

    private static String substitute(String key, String value, Map<String, String> providers,
                                     Map<String, String> values, Map<String, String> env) {
        if (value == null || !value.contains("${")) {
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String provider = m.group(1);
            String path = m.group(3);
            String name = m.group(4);
            String className = providers.get(provider);
            if (className == null) {
                // Kafka leaves references to unknown providers as they are
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String resolved = switch (className) {
                case FILE_PROVIDER -> fromPropertiesFile(key, path, name);
                case DIRECTORY_PROVIDER -> fromDirectory(key, path, name);
                default -> fromEnvironment(key, provider, name, values, env);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String fromPropertiesFile(String key, String path, String name) {
        if (path == null || path.isEmpty()) {
            throw new ConfigException("the value of " + key + " refers to the file provider without a file path");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("the value of " + key + " refers to " + path + ", which cannot be read: "
                    + e.getClass().getSimpleName());
        }
        String v = p.getProperty(name);
        if (v == null) {
            throw new ConfigException("the value of " + key + " refers to key '" + name + "' of " + path
                    + ", which has no such key");
        }
        return v;
    }

    private static String fromDirectory(String key, String path, String name) {
        if (path == null || path.isEmpty() || name.contains("/") || name.contains("..")) {
            throw new ConfigException("the value of " + key + " refers to the directory provider with an invalid path");
        }
        Path file = Path.of(path, name);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("the value of " + key + " refers to " + file + ", which cannot be read: "
                    + e.getClass().getSimpleName());
        }
    }

    private static String fromEnvironment(String key, String provider, String name, Map<String, String> values,
                                          Map<String, String> env) {
        String allow = values.get("config.providers." + provider + ".param.allowlist.pattern");
        if (allow != null && !name.matches(allow)) {
            throw new ConfigException("the value of " + key + " refers to environment variable " + name
                    + ", which the allowlist.pattern of provider '" + provider + "' does not allow");
        }
        String v = env.get(name);
        if (v == null) {
            throw new ConfigException("the value of " + key + " refers to environment variable " + name
                    + ", which is not set");
        }
        return v;
    }
}
