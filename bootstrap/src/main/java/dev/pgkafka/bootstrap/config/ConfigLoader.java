package dev.pgkafka.bootstrap.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the command line the way {@code kafka-server-start.sh} and our own flags take it, and
 * layers the sources, later ones winning: the {@code --config} file (or a lone first argument, as
 * Kafka takes it), {@code PGKAFKA_*} environment variables, then flags and {@code --override
 * key=value} in command-line order. Config provider references are resolved last.
 */
public final class ConfigLoader {
    /** Environment variable naming the config file, when {@code --config} is not given. */
    public static final String CONFIG_ENV = "PGKAFKA_CONFIG";
    /** Environment variable with {@code --add-scram} entries, one per line, so passwords stay off command lines. */
    public static final String ADD_SCRAM_ENV = "PGKAFKA_ADD_SCRAM";

    /** The user asked for --help. */
    public static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;

        public HelpRequested() {
            super("help", null, false, false);
        }
    }

    /**
     * What the command line and environment say.
     *
     * @param properties     the merged configuration under Kafka's (and our) property names
     * @param kafkaPort      {@code --kafka-port}, when given: shorthand for the PLAINTEXT listener
     * @param host           {@code --host}, when given
     * @param advertisedHost {@code --advertised-host}, when given
     * @param addScram       {@code --add-scram} entries (secrets: never log them)
     * @param unknownKeys    keys nobody reads, to be logged as ignored
     * @param ignoredKeys    Kafka keys knowingly ignored (inter-broker and controller settings)
     */
    public record Loaded(ServerProperties properties, Optional<String> kafkaPort, Optional<String> host,
                         Optional<String> advertisedHost, List<String> addScram, List<String> unknownKeys,
                         List<String> ignoredKeys) {
    }

    private ConfigLoader() {
    }

    public static Loaded load(String[] args, Map<String, String> env) throws HelpRequested {
        Path configFile = null;
        List<String[]> commandLine = new ArrayList<>(); // key (or -flag), value, in order
        List<String> addScram = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            if (!arg.startsWith("--")) {
                if (i == 0 && configFile == null) {
                    configFile = Path.of(arg); // kafka-server-start.sh server.properties
                    continue;
                }
                throw new ConfigException("unexpected argument '" + shownArgument(arg) + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            boolean known = name.equals("config") || name.equals("override") || name.equals("add-scram")
                    || ConfigKeys.byFlag(name).isPresent();
            if (!known) {
                throw new ConfigException("unknown option --" + name);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "config" -> {
                    if (configFile != null) {
                        throw new ConfigException("only one config file can be given (--config)");
                    }
                    configFile = Path.of(value);
                }
                case "override" -> {
                    int kv = value.indexOf('=');
                    if (kv <= 0) {
                        throw new ConfigException("--override takes key=value, was '" + shownArgument(value) + "'");
                    }
                    commandLine.add(new String[] {value.substring(0, kv).trim(), value.substring(kv + 1)});
                }
                case "add-scram" -> addScram.add(value);
                default -> commandLine.add(new String[] {"-" + name, value});
            }
        }
        if (configFile == null && env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank()) {
            configFile = Path.of(env.get(CONFIG_ENV));
        }

        Map<String, String> merged = new TreeMap<>();
        if (configFile != null) {
            merged.putAll(readFile(configFile));
        }
        Map<String, String> shorthand = new LinkedHashMap<>();
        for (ConfigKeys.Option o : ConfigKeys.flagOptions()) {
            String fromEnv = env.get(o.envName());
            if (fromEnv != null && !fromEnv.isBlank()) {
                put(merged, shorthand, o, fromEnv);
            }
        }
        for (String[] kv : commandLine) {
            if (kv[0].startsWith("-")) {
                put(merged, shorthand, ConfigKeys.byFlag(kv[0].substring(1)).orElseThrow(), kv[1]);
            } else {
                merged.put(kv[0], kv[1]);
            }
        }
        String fromEnv = env.get(ADD_SCRAM_ENV);
        if (fromEnv != null) {
            for (String line : fromEnv.split("\\R")) {
                if (!line.isBlank()) {
                    addScram.add(line.trim());
                }
            }
        }

        Map<String, String> resolved = ConfigProviders.resolve(merged, env);
        List<String> unknown = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String key : resolved.keySet()) {
            if (ConfigKeys.isIgnored(key)) {
                ignored.add(key);
            } else if (!ConfigKeys.isKnown(key)) {
                unknown.add(key);
            }
        }
        return new Loaded(new ServerProperties(resolved), Optional.ofNullable(shorthand.get("kafka-port")),
                Optional.ofNullable(shorthand.get("host")), Optional.ofNullable(shorthand.get("advertised-host")),
                List.copyOf(addScram), List.copyOf(unknown), List.copyOf(ignored));
    }

    private static void put(Map<String, String> merged, Map<String, String> shorthand, ConfigKeys.Option o,
                            String value) {
        if (o.key().isEmpty()) {
            shorthand.put(o.flag(), value);
        } else {
            merged.put(o.key(), value);
        }
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            out.put(key.trim(), p.getProperty(key).trim());
        }
        return out;
    }

    /** An argument as it may appear in an error message: a key=value with a secret key is hidden. */
    private static String shownArgument(String arg) {
        int eq = arg.indexOf('=');
        if (eq > 0 && Secrets.isSensitive(arg.substring(0, eq).replaceFirst("^--", ""))) {
            return arg.substring(0, eq + 1) + Secrets.HIDDEN;
        }
        return arg.contains("password") ? Secrets.HIDDEN : arg;
    }

    /** The --help text: every flag with its config key, environment variable and default. */
    public static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("pgkafka: a Kafka-compatible broker that keeps everything in PostgreSQL\n\n");
        b.append("usage: java -jar pgkafka.jar [server.properties] [options]\n\n");
        b.append("Configuration uses Apache Kafka's broker property names. Sources, later ones winning:\n");
        b.append("  --config FILE (or a first argument)   a server.properties file (also env ").append(CONFIG_ENV)
                .append(")\n");
        b.append("  PGKAFKA_* environment variables         as listed below\n");
        b.append("  flags and --override key=value          in command-line order\n");
        b.append("Secrets can come from Kafka's config providers (config.providers=file,env,dir).\n\n");
        b.append(String.format("  --%-36s %s%n", "config <file>", "a properties file with Kafka's broker property names"));
        b.append(String.format("  --%-36s %s%n", "override <key=value>", "set one property (repeatable)"));
        b.append(String.format("  --%-36s %s%n", "add-scram <spec>",
                "create or update a SCRAM user at start, e.g. 'SCRAM-SHA-512=[name=admin,password=...]' (repeatable;"));
        b.append(String.format("  %-38s %s%n", "", "env " + ADD_SCRAM_ENV + ": one spec per line)"));
        for (ConfigKeys.Option o : ConfigKeys.flagOptions()) {
            b.append(String.format("  --%-36s %s%n", o.flag() + " <value>", o.description()));
            String key = o.key().isEmpty() ? "" : "key " + o.key() + ", ";
            b.append(String.format("  %-38s %s%n", "", key + "env " + o.envName()
                    + (o.defaultValue() == null ? "" : ", default " + o.defaultValue())));
        }
        b.append(String.format("  --%-36s %s%n", "help", "print this help"));
        return b.toString();
    }
}
