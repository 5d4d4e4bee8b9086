package org.framecodec.transport;

/**
 * A detecting request did not fit the process-wide in-flight pixel budget of the {@link
 * DetectionGate}: a {@link ServerBusyException} (503 with {@code Retry-After}) that the server
 * tells its listeners as {@link RefusalReason#PIXEL_BUDGET} when it leaves an endpoint, as it does
 * from {@code /detect} (the Open Inference Protocol's routes answer it as their own 503 error).
 */
final class PixelBudgetException extends ServerBusyException {
  private static final long serialVersionUID = 1L;

  PixelBudgetException(String message) {
    super(message);
  }
}
