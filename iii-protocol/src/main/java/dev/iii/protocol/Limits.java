package dev.iii.protocol;

/** Size limits of the official engine, which every peer must respect. */
public final class Limits {

  /** Largest single WebSocket frame the engine accepts: 16 MiB. */
  public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /** Largest message after fragments are joined: 64 MiB. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** The chunk size in which the SDKs write channel data (the engine accepts larger frames). */
  public static final int CHANNEL_CHUNK_BYTES = 64 * 1024;

  private Limits() {}
}
