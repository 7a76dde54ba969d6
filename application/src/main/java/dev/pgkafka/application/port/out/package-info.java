/**
 * The storage SPI: what the application needs from a storage adapter. A new storage adapter
 * implements these ports and proves itself by extending the abstract tests of the contract kit
 * ({@code dev.pgkafka.application.contract} in the application test-jar).
 */
package dev.pgkafka.application.port.out;
