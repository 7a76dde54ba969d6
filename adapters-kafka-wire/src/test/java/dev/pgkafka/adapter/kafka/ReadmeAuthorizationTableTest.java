package dev.pgkafka.adapter.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.application.port.in.ClientQuotaAdminUseCase;
import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;

/**
 * The README's table "Authorization: what each API needs" names every API this broker answers, with
 * Kafka's name and key, so that a new handler cannot arrive without saying what it checks.
 */
class ReadmeAuthorizationTableTest {
    private static final String SECTION = "## Authorization: what each API needs";
    private static final Pattern API = Pattern.compile("([A-Za-z]+) \\((\\d+)\\)");

    @Test
    void everyRegisteredApiIsInTheTable() throws IOException {
        Map<Integer, String> documented = documentedApis();
        TreeSet<String> missing = new TreeSet<>();
        for (ApiHandler handler : KafkaWireAdapter.handlers(useCases(), new BrokerEndpoint(1, "localhost", 9092))) {
            ApiKeys key = handler.apiKey();
            if (!key.name.equals(documented.get((int) key.id))) {
                missing.add(key.name + " (" + key.id + ")");
            }
        }
        assertTrue(missing.isEmpty(), "APIs answered but missing from the README's authorization table: " + missing);
    }

    @Test
    void theTableUsesKafkasNamesForItsKeys() throws IOException {
        documentedApis().forEach((id, name) -> assertEquals(ApiKeys.forId(id).name, name, "key " + id));
    }

    /** API key to name, from the first column of the table's rows. */
    private static Map<Integer, String> documentedApis() throws IOException {
        List<String> lines = Files.readAllLines(readme());
        int start = lines.indexOf(SECTION);
        assertTrue(start >= 0, "the README has no section \"" + SECTION + "\"");
        Map<Integer, String> apis = new TreeMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| ") || line.startsWith("| API")) {
                continue;
            }
            String firstCell = line.substring(2, line.indexOf('|', 2));
            Matcher m = API.matcher(firstCell);
            while (m.find()) {
                apis.put(Integer.parseInt(m.group(2)), m.group(1));
            }
        }
        assertTrue(apis.size() > 30, "the table lists " + apis.size() + " APIs");
        return apis;
    }

    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("mvnw"))) {
                return dir.resolve("README.md");
            }
        }
        throw new AssertionError("no README.md above " + Path.of("").toAbsolutePath());
    }

    /** Handlers only keep their use cases; ApiVersions asks for the transaction version at once. */
    private static KafkaUseCases useCases() {
        TransactionsUseCase transactions = (TransactionsUseCase) Proxy.newProxyInstance(
                TransactionsUseCase.class.getClassLoader(), new Class<?>[] {TransactionsUseCase.class},
                (proxy, method, args) -> method.getName().equals("transactionVersion") ? 2 : null);
        ClientQuotaAdminUseCase quotas = (ClientQuotaAdminUseCase) Proxy.newProxyInstance(
                ClientQuotaAdminUseCase.class.getClassLoader(), new Class<?>[] {ClientQuotaAdminUseCase.class},
                (proxy, method, args) -> null);
        return new KafkaUseCases(null, null, null, null, null, null, null, null, null, null,
                new AdminUseCases(null, null, null), transactions, SecurityUseCases.none(null, null),
                new QuotaUseCases(quotas, ThrottlingUseCase.UNLIMITED));
    }
}
