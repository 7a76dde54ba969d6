package dev.pgkafka.application.port.in;

/**
 * DescribeUserScramCredentials and AlterUserScramCredentials: SCRAM users kept in storage (salted
 * keys and iterations, never passwords), as {@code kafka-configs --entity-type users} manages them.
 */
public interface ScramCredentialsUseCase {
}
