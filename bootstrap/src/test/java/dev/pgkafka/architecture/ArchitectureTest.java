package dev.pgkafka.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rule of the hexagon, stated once for the whole code base: the domain knows only the
 * JDK, the application only the domain, each adapter only the application and its own library, and
 * only bootstrap knows everything.
 */
@AnalyzeClasses(packages = "dev.pgkafka",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.ProductionCodeOnly.class})
class ArchitectureTest {

    /** Test-jars (the contract kit, the database fixture) are test code too. */
    static final class ProductionCodeOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar") && !location.contains("/test-classes/");
        }
    }

    @ArchTest
    static final ArchRule hexagon = onionArchitecture()
            .withOptionalLayers(true) // pure domain services (e.g. assignors) live beside the model for now
            .domainModels("dev.pgkafka.domain..")
            .domainServices("dev.pgkafka.domain.service..")
            .applicationServices("dev.pgkafka.application..")
            .adapter("kafka", "dev.pgkafka.adapter.kafka..")
            .adapter("postgres", "dev.pgkafka.adapter.postgres..", "db.migration..")
            .adapter("http", "dev.pgkafka.adapter.http..")
            // bootstrap is the composition root: it may know everything
            .ignoreDependency(JavaClass.Predicates.resideInAPackage("dev.pgkafka.bootstrap.."),
                    DescribedPredicate.alwaysTrue());

    @ArchTest
    static final ArchRule domainDependsOnTheJdkOnly = classes()
            .that().resideInAPackage("dev.pgkafka.domain..")
            // javax.crypto is the JDK's too: SCRAM's HMAC and PBKDF2
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pgkafka.domain..", "java..", "javax.crypto..");

    @ArchTest
    static final ArchRule applicationDependsOnTheDomainOnly = classes()
            .that().resideInAPackage("dev.pgkafka.application..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("dev.pgkafka.application..", "dev.pgkafka.domain..", "java..");

    @ArchTest
    static final ArchRule kafkaProtocolClassesStayInTheWireAdapter = noClasses()
            .that().resideOutsideOfPackage("dev.pgkafka.adapter.kafka..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..");

    @ArchTest
    static final ArchRule re2jStaysInTheRegexAdapter = noClasses()
            .that().resideOutsideOfPackage("dev.pgkafka.adapter.kafka.regex..")
            .should().dependOnClassesThat().resideInAnyPackage("com.google.re2j..");

    /**
     * Regular expressions from clients (subscriptions, ListTransactions filters) go through
     * {@code ClientRegex} to RE2/J: the JDK's backtracking engine can take exponential time on them.
     */
    @ArchTest
    static final ArchRule clientRegexesAreNotCompiledByTheJdk = noClasses()
            .that().resideInAnyPackage("dev.pgkafka.domain.group..", "dev.pgkafka.domain.txn..",
                    "dev.pgkafka.domain.regex..", "dev.pgkafka.application..", "dev.pgkafka.adapter.kafka.api..")
            .should().dependOnClassesThat().resideInAPackage("java.util.regex..");

    @ArchTest
    static final ArchRule sqlStaysInThePostgresAdapter = noClasses()
            .that().resideOutsideOfPackages("dev.pgkafka.adapter.postgres..", "db.migration..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.jooq..", "java.sql..", "javax.sql..", "org.flywaydb..", "org.postgresql..",
                    "io.zonky..");

    @ArchTest
    static final ArchRule helidonStaysInTheHttpAdapter = noClasses()
            .that().resideOutsideOfPackage("dev.pgkafka.adapter.http..")
            .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "jakarta.json..");

    @ArchTest
    static final ArchRule adaptersDoNotKnowEachOther = slices()
            .matching("dev.pgkafka.adapter.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule noPackageCycles = slices()
            .matching("dev.pgkafka.(**)")
            .should().beFreeOfCycles()
            // jOOQ's generated schema classes reference each other by design
            .ignoreDependency(JavaClass.Predicates.resideInAPackage("dev.pgkafka.adapter.postgres.schema.."),
                    JavaClass.Predicates.resideInAPackage("dev.pgkafka.adapter.postgres.schema.."));
}
