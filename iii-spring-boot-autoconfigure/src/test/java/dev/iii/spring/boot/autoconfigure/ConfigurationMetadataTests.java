package dev.iii.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata IDEs show for {@code iii.*} properties (generated from the Javadoc of
 * {@link IIIProperties}, plus {@code additional-spring-configuration-metadata.json}) reads as
 * Spring Boot's own: a full sentence per property, no Javadoc markup, booleans starting with
 * "Whether".
 */
class ConfigurationMetadataTests {

  private static final Pattern JAVADOC = Pattern.compile("\\{@|@(param|link|code|see)\\b");
  private static final Pattern HTML = Pattern.compile("</?[a-zA-Z][a-zA-Z0-9]*\\b[^>]*>|&[a-z]+;");

  @Test
  void everyIiiPropertyHasAPlainSentenceAsItsDescription() throws IOException {
    List<JsonNode> properties = iiiProperties();
    assertThat(properties).hasSizeGreaterThan(20);
    List<String> problems = new ArrayList<>();
    for (JsonNode property : properties) {
      String name = property.get("name").asString();
      JsonNode node = property.get("description");
      String description = node == null ? "" : node.asString();
      if (description.isBlank()) {
        problems.add(name + ": no description");
        continue;
      }
      if (JAVADOC.matcher(description).find()) {
        problems.add(name + ": Javadoc markup in \"" + description + "\"");
      }
      if (HTML.matcher(description).find()) {
        problems.add(name + ": HTML in \"" + description + "\"");
      }
      if (!Character.isUpperCase(description.codePointAt(0))
          && !Character.isDigit(description.codePointAt(0))) {
        problems.add(name + ": does not start as a sentence: \"" + description + "\"");
      }
      if (!description.endsWith(".")) {
        problems.add(name + ": does not end with a period: \"" + description + "\"");
      }
      JsonNode type = property.get("type");
      if (type != null
          && type.asString().equals("java.lang.Boolean")
          && !description.startsWith("Whether")) {
        problems.add(name + ": a boolean's description starts with \"Whether\"");
      }
    }
    assertThat(problems).isEmpty();
  }

  /** The {@code iii} properties of every metadata file on the class path (this module's). */
  private static List<JsonNode> iiiProperties() throws IOException {
    JsonMapper mapper = JsonMapper.builder().build();
    List<JsonNode> properties = new ArrayList<>();
    Enumeration<URL> files =
        ConfigurationMetadataTests.class
            .getClassLoader()
            .getResources("META-INF/spring-configuration-metadata.json");
    while (files.hasMoreElements()) {
      try (InputStream in = files.nextElement().openStream()) {
        for (JsonNode property : mapper.readTree(in).path("properties")) {
          String name = property.path("name").asString();
          if (name.startsWith("iii.") || name.equals("management.health.iii.enabled")) {
            properties.add(property);
          }
        }
      }
    }
    return properties;
  }
}
