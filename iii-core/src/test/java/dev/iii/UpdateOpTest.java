package dev.iii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link UpdateOp} writes the official {@code UpdateOp} JSON ({@code
 * sdk/packages/node/helpers/src/stream/index.ts}, {@code rust/helpers/src/stream.rs:34-97}).
 */
class UpdateOpTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The op as the client writes it (numbers compare by their text, not their Java type). */
  private static String wire(UpdateOp op) {
    return JSON.writeValueAsString(op.toWire());
  }

  private static String json(String text) {
    return JSON.readTree(text.replace('\'', '"')).toString();
  }

  @Test
  void eachFactoryWritesTheOfficialShape() {
    assertThat(wire(UpdateOp.set("count", 5)))
        .isEqualTo(json("{'type':'set','path':'count','value':5}"));
    assertThat(wire(UpdateOp.set("", null)))
        .isEqualTo(json("{'type':'set','path':'','value':null}"));
    assertThat(wire(UpdateOp.increment("hits", 2)))
        .isEqualTo(json("{'type':'increment','path':'hits','by':2}"));
    assertThat(wire(UpdateOp.decrement("hits", 1)))
        .isEqualTo(json("{'type':'decrement','path':'hits','by':1}"));
    assertThat(wire(UpdateOp.remove("old"))).isEqualTo(json("{'type':'remove','path':'old'}"));
    assertThat(wire(UpdateOp.merge(Map.of("a", 1))))
        .isEqualTo(json("{'type':'merge','value':{'a':1}}"));
    assertThat(wire(UpdateOp.merge("session", Map.of("a", 1))))
        .isEqualTo(json("{'type':'merge','path':'session','value':{'a':1}}"));
    assertThat(wire(UpdateOp.merge(List.of("sessions", "a.b"), Map.of("ts", 1))))
        .isEqualTo(json("{'type':'merge','path':['sessions','a.b'],'value':{'ts':1}}"));
    assertThat(wire(UpdateOp.append("events", Map.of("kind", "chunk"))))
        .isEqualTo(json("{'type':'append','path':'events','value':{'kind':'chunk'}}"));
    assertThat(wire(UpdateOp.append(List.of("a", "b"), "x")))
        .isEqualTo(json("{'type':'append','path':['a','b'],'value':'x'}"));
    assertThat(wire(UpdateOp.append("tail"))).isEqualTo(json("{'type':'append','value':'tail'}"));
  }

  @Test
  void opsCompareByWhatTheySend() {
    assertThat(UpdateOp.increment("n", 1)).isEqualTo(UpdateOp.increment("n", 1));
    assertThat(UpdateOp.increment("n", 1)).isNotEqualTo(UpdateOp.decrement("n", 1));
    assertThat(UpdateOp.merge(Map.of()).type()).isEqualTo("merge");
  }
}
