package io.argus.connectors.kafka;

/**
 * Kafka cannot give a command or a job what it needs: no broker answers, a topic is missing, or
 * the brokers refuse the client. The message is one line that names the brokers or the topic and
 * says what to do; the exception carries no stack trace of its own (the Kafka client's error, when
 * there is one, is its cause), so that logs and command lines stay readable.
 */
public class KafkaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    public KafkaUnavailableException(String message) {
        this(message, null);
    }
}
