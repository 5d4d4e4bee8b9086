package org.framecodec.transport;

/**
 * {@code /detect}'s request did not fit the process-wide in-flight pixel budget: a
 * {@link ServerBusyException} (503 with {@code Retry-After}) that the server tells its listeners
 * as {@link RefusalReason#PIXEL_BUDGET}.
 */
final class PixelBudgetException extends ServerBusyException {
  private static final long serialVersionUID = 1L;

  PixelBudgetException(String message) {
    super(message);
  }
}
