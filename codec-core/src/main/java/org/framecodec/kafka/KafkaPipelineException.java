package org.framecodec.kafka;

import org.framecodec.transport.TransportException;

/**
 * The Kafka side of a pipeline failed: a topic is missing, the broker could not be reached in
 * time, or a record the pipeline depends on (a result, a dead letter) could not be written. The
 * cause is the Kafka client's exception. Bad frame bytes are not this: they raise
 * {@link org.framecodec.FrameFormatException} and, in a worker, go to the dead-letter topic.
 */
public class KafkaPipelineException extends TransportException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message.
   *
   * @param message what went wrong, naming the topic or broker
   */
  public KafkaPipelineException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a message and the Kafka client's exception.
   *
   * @param message what went wrong, naming the topic or broker
   * @param cause the Kafka client's exception
   */
  public KafkaPipelineException(String message, Throwable cause) {
    super(message, cause);
  }
}
