package dev.iii.bench.jmh;

import dev.iii.bench.Payload;
import dev.iii.protocol.InvocationResult;
import dev.iii.protocol.InvokeFunction;
import dev.iii.protocol.Message;
import dev.iii.protocol.MessageCodec;
import dev.iii.protocol.RawJson;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding of the two frames every call sends twice (caller → engine → worker and
 * back): an {@code invokefunction} and an {@code invocationresult} carrying the 100-byte payload.
 *
 * <pre>
 * java -cp iii-benchmarks/target/iii-benchmarks.jar org.openjdk.jmh.Main CodecBenchmark
 * </pre>
 *
 * <p>JMH state: each benchmark thread reads the frames prepared once in {@link #prepare()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

  private static final String INVOCATION_ID = "6f1c3a52-8d4e-4b7a-9f0e-2c5d8a1b3e47";
  private static final String FUNCTION_ID = "bench::echo";

  private final MessageCodec codec = MessageCodec.instance();
  private InvokeFunction invoke;
  private InvocationResult result;
  private byte[] invokeFrame;
  private byte[] resultFrame;

  /** Builds the two messages and their frames (UTF-8 bytes, as a WebSocket carries them). */
  @Setup
  public void prepare() {
    RawJson payload = RawJson.parse(Payload.JSON);
    invoke = new InvokeFunction(INVOCATION_ID, FUNCTION_ID, payload);
    result = InvocationResult.success(INVOCATION_ID, FUNCTION_ID, payload);
    invokeFrame = codec.encodeToBytes(invoke);
    resultFrame = codec.encodeToBytes(result);
  }

  /** {@code invokefunction} to its JSON frame. */
  @Benchmark
  public byte[] encodeInvokeFunction() {
    return codec.encodeToBytes(invoke);
  }

  /** An {@code invokefunction} frame to its message. */
  @Benchmark
  public Message decodeInvokeFunction() {
    return codec.decode(invokeFrame);
  }

  /** {@code invocationresult} to its JSON frame. */
  @Benchmark
  public byte[] encodeInvocationResult() {
    return codec.encodeToBytes(result);
  }

  /** An {@code invocationresult} frame to its message. */
  @Benchmark
  public Message decodeInvocationResult() {
    return codec.decode(resultFrame);
  }
}
