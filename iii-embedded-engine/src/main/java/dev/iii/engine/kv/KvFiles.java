package dev.iii.engine.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file format of a file-based {@link KvStore}: one JSON object per scope ({@code key → value},
 * in insertion order) in {@code <scope>.json}, the scope name percent-encoded outside {@code
 * [A-Za-z0-9._-]}; written to a temporary file and renamed over the old one, so a crash leaves
 * either the old or the new content. (Ours, not the official engine's rkyv {@code .bin} files.)
 * Stateless.
 */
final class KvFiles {

  static final String EXTENSION = ".json";
  private static final String TEMP = ".tmp";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final Logger log = LoggerFactory.getLogger(KvFiles.class);

  private KvFiles() {}

  /** Every scope saved in {@code dir}; unreadable files are logged and skipped. */
  static Map<String, Map<String, JsonNode>> load(Path dir) {
    Map<String, Map<String, JsonNode>> scopes = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return scopes;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + EXTENSION)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String scope = decode(name.substring(0, name.length() - EXTENSION.length()));
        if (scope == null) {
          log.warn("Skipping {}: not a scope file name", file);
          continue;
        }
        try {
          JsonNode tree = MAPPER.readTree(Files.readAllBytes(file));
          if (!tree.isObject()) {
            log.warn("Skipping {}: not a JSON object", file);
            continue;
          }
          Map<String, JsonNode> entries = new LinkedHashMap<>();
          tree.properties().forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
          scopes.put(scope, entries);
        } catch (IOException | RuntimeException e) {
          log.warn("Skipping {}: {}", file, e.toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the key-value store directory " + dir, e);
    }
    return scopes;
  }

  /** Writes a scope's entries atomically, or removes its file when it has none. */
  static void save(Path dir, String scope, Map<String, JsonNode> entries) throws IOException {
    Path file = dir.resolve(encode(scope) + EXTENSION);
    if (entries.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    Files.createDirectories(dir);
    Path temp = dir.resolve(encode(scope) + EXTENSION + TEMP);
    Files.write(temp, MAPPER.writeValueAsBytes(entries));
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static String encode(String scope) {
    StringBuilder out = new StringBuilder();
    for (byte b : scope.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static @Nullable String decode(String encoded) {
    byte[] bytes = new byte[encoded.length()];
    int length = 0;
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        if (i + 2 >= encoded.length()) {
          return null;
        }
        int high = Character.digit(encoded.charAt(i + 1), 16);
        int low = Character.digit(encoded.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes[length++] = (byte) ((high << 4) | low);
        i += 2;
      } else {
        bytes[length++] = (byte) c;
      }
    }
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }
}
