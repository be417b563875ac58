package dev.iii.spring.boot.autoconfigure;

import dev.iii.IIIClient;
import dev.iii.IIIException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Connects the client when the application context starts and shuts it down when it stops.
 *
 * <p>It starts first and stops last of the iii components ({@link #PHASE}): functions are
 * registered (phase {@code Integer.MAX_VALUE - 100}) after the connection attempt has begun, and
 * are unregistered and drained before the connection goes away. Starting does not wait for the
 * engine unless {@code iii.fail-fast} is set: the client keeps retrying in the background and
 * replays its registrations once connected. Stopping shuts the client down for good (its threads
 * are released), so a stopped context cannot be started again.
 *
 * <p>While running it holds one non-daemon thread: the client's and Netty's threads are daemons, so
 * without it a worker application that has no web server would exit as soon as it started.
 *
 * <p>A Mockito mock of the client (a test's {@code @MockitoBean IIIClient}) is neither connected
 * nor shut down: the context starts and stops around it, and the mock sees no interaction from
 * here.
 *
 * <p>Concurrency: thread-safe; {@code running} is volatile and the keep-alive thread is guarded by
 * this object's monitor, which is never held while calling the client.
 */
public class IIIClientLifecycle implements SmartLifecycle {

  /**
   * Before the web server starts ({@code WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE -
   * 1024}), a plain constant so the web server module is not needed.
   */
  public static final int PHASE = Integer.MAX_VALUE - 3072;

  private static final Logger log = LoggerFactory.getLogger(IIIClientLifecycle.class);

  private final IIIClient client;
  private final String url;
  private final boolean failFast;
  private final Duration connectTimeout;
  private final boolean mock;
  private volatile boolean running;
  private @Nullable CountDownLatch keepAlive;

  /**
   * @param client the client to connect
   * @param url the engine address, without credentials, for messages
   * @param failFast whether {@link #start()} waits for the connection and fails without it
   * @param connectTimeout how long a fail-fast start waits
   */
  public IIIClientLifecycle(
      IIIClient client, String url, boolean failFast, Duration connectTimeout) {
    this.client = client;
    this.url = url;
    this.failFast = failFast;
    this.connectTimeout = connectTimeout;
    this.mock = MockClients.isMock(client);
  }

  @Override
  public void start() {
    running = true;
    if (mock) {
      log.info("The IIIClient is a Mockito mock: not connecting to the iii engine");
      return;
    }
    if (!failFast) {
      keepJvmAlive();
      log.info("Connecting to the iii engine at {}", url);
      client
          .connect()
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  if (isShutdown(error)) {
                    return; // stopped before the engine answered: nothing went wrong
                  }
                  log.warn("iii client stopped trying to connect to {}: {}", url, error.toString());
                } else {
                  log.info("Connected to the iii engine at {}", url);
                }
              });
      return;
    }
    try {
      client.connect().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      log.info("Connected to the iii engine at {}", url);
      // Only now: a start that fails must not leave a thread that keeps the JVM alive.
      keepJvmAlive();
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Could not connect to the iii engine at "
              + url
              + " within "
              + connectTimeout.toMillis()
              + " ms (iii.fail-fast=true; raise iii.connect-timeout or check iii.url)",
          e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Could not connect to the iii engine at " + url + " (iii.fail-fast=true)", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while connecting to the iii engine at " + url, e);
    }
  }

  private static boolean isShutdown(Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return cause instanceof IIIException e && IIIException.SHUTDOWN.equals(e.code());
  }

  @Override
  public void stop() {
    stop(() -> {});
  }

  /** Shuts the client down without blocking the shutdown thread; the callback runs once closed. */
  @Override
  public void stop(Runnable callback) {
    running = false;
    releaseJvm();
    if (mock) {
      callback.run();
      return;
    }
    client.shutdown().whenComplete((ok, error) -> callback.run());
  }

  /** Name of the thread that keeps the JVM alive while the client runs. */
  static final String KEEP_ALIVE_THREAD = "iii-keep-alive";

  private synchronized void keepJvmAlive() {
    if (keepAlive != null) {
      return;
    }
    CountDownLatch latch = new CountDownLatch(1);
    Thread thread =
        new Thread(
            () -> {
              try {
                latch.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            KEEP_ALIVE_THREAD);
    thread.setDaemon(false);
    thread.start();
    keepAlive = latch;
  }

  private synchronized void releaseJvm() {
    if (keepAlive != null) {
      keepAlive.countDown();
      keepAlive = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
