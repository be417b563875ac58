package dev.iii.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link InvocationIds}: the UUID forms the engine accepts, normalised as the engine writes them.
 */
class InvocationIdsTest {

  private static final String CANONICAL = "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6";

  @Test
  void randomIsACanonicalVersion4Uuid() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String id = InvocationIds.random();
      assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      assertThat(InvocationIds.normalize(id)).isEqualTo(id);
      seen.add(id);
    }
    assertThat(seen).hasSize(100);
  }

  @Test
  void randomIdsParseAsVersion4UuidsAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = InvocationIds.random();
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(uuid.toString()).isEqualTo(id);
      seen.add(id);
    }
    assertThat(seen).hasSize(100_000);
  }

  @Test
  void aCanonicalIdIsReturnedAsItIs() {
    String id = new String(CANONICAL.toCharArray());
    assertThat(InvocationIds.normalize(id)).isSameAs(id);
  }

  @Test
  void nullStaysNull() {
    assertThat(InvocationIds.normalize(null)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
        "7C0E8F3A-1B2C-4D5E-8F90-A1B2C3D4E5F6",
        "7c0e8f3a1b2c4d5e8f90a1b2c3d4e5f6",
        "7C0E8F3A1B2C4D5E8F90A1B2C3D4E5F6"
      })
  void normalisesAcceptedForms(String form) {
    assertThat(InvocationIds.normalize(form)).isEqualTo(CANONICAL);
  }

  @Test
  void agreesWithJavaUuidOnCanonicalForm() {
    UUID uuid = UUID.randomUUID();

    assertThat(InvocationIds.normalize(uuid.toString().toUpperCase(java.util.Locale.ROOT)))
        .isEqualTo(uuid.toString());
    assertThat(InvocationIds.normalize(uuid.toString().replace("-", "")))
        .isEqualTo(uuid.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "x",
        "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5fz",
        "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4-5f6",
        "7c0e8f3a-1b2c-4d5e-8f90--1b2c3d4e5f6",
        "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4e5f-",
        "7c0e8f3a-1b2c-4d5e-8f90a-1b2c3d4e5f6",
        "7c0e8f3a1b2c4d5e8f90a1b2c3d4e5f6-",
        "-7c0e8f3a1b2c4d5e8f90a1b2c3d4e5f6"
      })
  void rejectsNonUuids(String id) {
    assertThatIllegalArgumentException().isThrownBy(() -> InvocationIds.normalize(id));
  }

  @Test
  void normalisedValueIsAlwaysCanonical() {
    // Whatever normalize accepts, it must return a 36-char canonical UUID that Java can parse.
    for (String id :
        new String[] {
          CANONICAL, "7c0e8f3a-1b2c-4d5e-8f90-a1b2c3d4-5f6", "7c0e8f3a-1b2c-4d5e-8f90--1b2c3d4e5f6"
        }) {
      String normalized;
      try {
        normalized = InvocationIds.normalize(id);
      } catch (IllegalArgumentException rejected) {
        continue;
      }
      assertThat(normalized).as(id).hasSize(36);
      assertThat(UUID.fromString(normalized).toString()).isEqualTo(normalized);
    }
  }
}
