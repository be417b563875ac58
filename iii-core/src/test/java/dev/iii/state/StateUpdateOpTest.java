package dev.iii.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link StateUpdateOp} writes the official {@code UpdateOp} JSON ({@code
 * sdk/packages/node/helpers/src/stream/index.ts}, {@code rust/helpers/src/stream.rs:34-97}).
 */
class StateUpdateOpTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The op as the client writes it (numbers compare by their text, not their Java type). */
  private static String wire(StateUpdateOp op) {
    return JSON.writeValueAsString(op.toWire());
  }

  private static String json(String text) {
    return JSON.readTree(text.replace('\'', '"')).toString();
  }

  @Test
  void eachFactoryWritesTheOfficialShape() {
    assertThat(wire(StateUpdateOp.set("count", 5)))
        .isEqualTo(json("{'type':'set','path':'count','value':5}"));
    assertThat(wire(StateUpdateOp.set("", null)))
        .isEqualTo(json("{'type':'set','path':'','value':null}"));
    assertThat(wire(StateUpdateOp.increment("hits", 2)))
        .isEqualTo(json("{'type':'increment','path':'hits','by':2}"));
    assertThat(wire(StateUpdateOp.decrement("hits", 1)))
        .isEqualTo(json("{'type':'decrement','path':'hits','by':1}"));
    assertThat(wire(StateUpdateOp.remove("old"))).isEqualTo(json("{'type':'remove','path':'old'}"));
    assertThat(wire(StateUpdateOp.merge(Map.of("a", 1))))
        .isEqualTo(json("{'type':'merge','value':{'a':1}}"));
    assertThat(wire(StateUpdateOp.merge("session", Map.of("a", 1))))
        .isEqualTo(json("{'type':'merge','path':'session','value':{'a':1}}"));
    assertThat(wire(StateUpdateOp.merge(List.of("sessions", "a.b"), Map.of("ts", 1))))
        .isEqualTo(json("{'type':'merge','path':['sessions','a.b'],'value':{'ts':1}}"));
    assertThat(wire(StateUpdateOp.append("events", Map.of("kind", "chunk"))))
        .isEqualTo(json("{'type':'append','path':'events','value':{'kind':'chunk'}}"));
    assertThat(wire(StateUpdateOp.append(List.of("a", "b"), "x")))
        .isEqualTo(json("{'type':'append','path':['a','b'],'value':'x'}"));
    assertThat(wire(StateUpdateOp.append("tail")))
        .isEqualTo(json("{'type':'append','value':'tail'}"));
  }

  @Test
  void opsCompareByWhatTheySend() {
    assertThat(StateUpdateOp.increment("n", 1)).isEqualTo(StateUpdateOp.increment("n", 1));
    assertThat(StateUpdateOp.increment("n", 1)).isNotEqualTo(StateUpdateOp.decrement("n", 1));
    assertThat(StateUpdateOp.merge(Map.of()).type()).isEqualTo("merge");
  }
}
