package org.framecodec.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.framecodec.FrameFormatException;
import org.framecodec.NativeCodecException;

/**
 * The {@code framecodec} command-line tool: {@code java -jar codec-bench.jar COMMAND ...}.
 * Each subcommand is its own class with a {@code run(String[])} returning the exit code; this
 * class only dispatches and turns bad input into a one-line message and a non-zero exit.
 */
public final class FrameCodecCli {
  private FrameCodecCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns 0 on success, 1 on bad input, 2 on bad usage. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
      out.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0].toLowerCase(Locale.ROOT);
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (command) {
        case "table" -> TableCommand.run(rest, out);
        case "report" -> ReportCommand.run(rest, out);
        case "targets" -> TargetsCommand.run(rest, out);
        case "sweep" -> SweepCommand.run(rest, out);
        case "encode" -> EncodeCommand.run(rest, out);
        case "decode" -> DecodeCommand.run(rest, out);
        case "detect" -> DetectCommand.run(rest, out, err);
        case "transport" -> org.framecodec.bench.transport.TransportBenchmark.run(rest);
        case "batcher-latency" -> org.framecodec.bench.batch.BatcherLatencyProgram.run(rest);
        case "jmh" -> {
          org.openjdk.jmh.Main.main(rest);
          yield 0;
        }
        default -> {
          err.println("framecodec: unknown command '" + args[0] + "'\n" + usage());
          yield 2;
        }
      };
    } catch (UsageException e) {
      err.println("framecodec " + command + ": " + e.getMessage());
      return 2;
    } catch (FrameFormatException | IllegalArgumentException | IOException | NativeCodecException e) {
      err.println("framecodec " + command + ": " + oneLine(e));
      return 1;
    } catch (Exception e) {
      err.println("framecodec " + command + ": unexpected " + e.getClass().getSimpleName() + ": " + oneLine(e));
      return 1;
    }
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ');
  }

  static String usage() {
    return String.join("\n",
        "usage: java -jar codec-bench.jar COMMAND [OPTIONS]",
        "  table [--frame IN] [--csv]           the source document's size table, with wire sizes and its claims checked",
        "  report [--frame IN] [--reps N]       encode a frame in every mode: sizes, PSNR, times",
        "  encode --mode cv2-yuv|ycbcr|gray --quality Q [--subsampling 444|422|420]",
        "         [--framing json|base64|raw|jpeg] [--backend turbojpeg|opencv] IN OUT",
        "                                       IN: .png, .jpg or .npy (uint8 HxWx3 BGR or HxW)",
        "  decode [--mode M] [--backend B] IN OUT  OUT: .png or .npy; framing and mode are detected",
        "  sweep [--frame IN] [--faces IMG] [--model M.onnx] [--qualities 1,5,...] [--out DIR] [--psnr-floor DB]",
        "                                       quality x mode: bytes, times, PSNR, SSIM, face-detection agreement; CSV + charts",
        "  targets [--frame IN] [--quality Q] [--reps N] [--rounds R]  speed targets vs tjbench and the Python recipe",
        "  detect --model M.onnx [--head blazeface|yolov5] [--device auto|cpu|cuda] IMAGE...  detections as JSON",
        "  transport [--seconds N]              HTTP pipeline: framings x batch sizes x Python/Java receivers",
        "  batcher-latency [--streams 1,4,8] [--seconds N]  submit-to-delivery latency at 50 fps per stream",
        "  jmh [JMH OPTIONS]                    run the JMH benchmarks in this jar");
  }

  /** Bad command-line usage: exit code 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
