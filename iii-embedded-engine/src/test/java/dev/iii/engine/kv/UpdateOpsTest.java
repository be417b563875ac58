package dev.iii.engine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link UpdateOps}: cases taken from the official engine's tests ({@code engine/src/update_ops.rs}
 * at v0.22.1), written as wire JSON, parsed and applied; and the parser's refusals.
 */
class UpdateOpsTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static JsonNode json(String singleQuoted) {
    return MAPPER.readTree(singleQuoted.replace('\'', '"'));
  }

  /** old value ("absent" for none), ops, expected value, expected error codes with op indexes. */
  static Stream<Arguments> cases() {
    return Stream.of(
        row(
            "{'events':[{'kind':'start'}]}",
            "[{'type':'append','path':'events','value':{'kind':'chunk'}}]",
            "{'events':[{'kind':'start'},{'kind':'chunk'}]}"),
        row(
            "{'transcript':'hello'}",
            "[{'type':'append','path':'transcript','value':' world'}]",
            "{'transcript':'hello world'}"),
        row(
            "{}",
            "[{'type':'append','path':'transcript','value':'hello'},"
                + "{'type':'append','path':'events','value':{'kind':'chunk'}}]",
            "{'transcript':'hello','events':[{'kind':'chunk'}]}"),
        row("absent", "[{'type':'append','value':'hello'}]", "'hello'"),
        row("absent", "[{'type':'append','value':{'kind':'chunk'}}]", "[{'kind':'chunk'}]"),
        row("{'':'empty-field','keep':true}", "[{'type':'set','path':''}]", "null"),
        row(
            "{'transcript':'hello'}",
                "[{'type':'append','path':'transcript','value':{'not':'string'}}]",
            "{'transcript':'hello'}", "0:append.type_mismatch"),
        row(
            "{'events':{}}",
            "[{'type':'append','path':'events','value':'chunk'}]",
            "{'events':{}}",
            "0:append.type_mismatch"),
        row(
            "{'count':2,'bad':'value'}",
            "[{'type':'increment','path':'count','by':3},"
                + "{'type':'increment','path':'bad','by':3},{'type':'increment','path':'missing','by':3}]",
            "{'count':5,'bad':'value','missing':3}",
            "1:increment.not_number"),
        row(
            "{'count':5,'bad':'value'}",
            "[{'type':'decrement','path':'count','by':3},"
                + "{'type':'decrement','path':'bad','by':3},{'type':'decrement','path':'missing','by':3}]",
            "{'count':2,'bad':'value','missing':-3}",
            "1:decrement.not_number"),
        row(
            "{'count':1.5}",
            "[{'type':'increment','path':'count','by':2},{'type':'decrement','path':'count','by':1}]",
            "{'count':2.5}"),
        row(
            "{'inc':null,'dec':null}",
            "[{'type':'increment','path':'inc','by':1},{'type':'decrement','path':'dec','by':1}]",
            "{'inc':null,'dec':null}",
            "0:increment.not_number",
            "1:decrement.not_number"),
        row(
            "{'count':9223372036854775807}",
            "[{'type':'increment','path':'count','by':1}]",
            "{'count':9223372036854775808}"),
        row(
            "{}",
            "[{'type':'decrement','path':'count','by':-9223372036854775808}]",
            "{'count':9223372036854775808}"),
        row(
            "{'count':18446744073709551615}", "[{'type':'increment','path':'count','by':1}]",
            "{'count':18446744073709551615}", "0:increment.not_number"),
        row("2", "[{'type':'increment','path':'','by':3}]", "5"),
        row("absent", "[{'type':'increment','path':'','by':3}]", "3"),
        row("absent", "[{'type':'decrement','path':'','by':3}]", "-3"),
        row("absent", "[{'type':'remove','path':'x'}]", "{}"),
        row("{'':'empty-field','keep':true}", "[{'type':'remove','path':''}]", "null"),
        row(
            "{'bad':'value','events':{}}",
            "[{'type':'increment','path':'bad','by':1},"
                + "{'type':'set','path':'__proto__','value':true},"
                + "{'type':'append','path':'events','value':'chunk'},{'type':'set','path':'ok','value':true}]",
            "{'bad':'value','events':{},'ok':true}",
            "0:increment.not_number",
            "1:set.path.proto_polluted",
            "2:append.type_mismatch"),
        row(
            "{'user.name':['A'],'user':{'name':['B']}}",
            "[{'type':'append','path':'user.name','value':'C'}]",
            "{'user.name':['A','C'],'user':{'name':['B']}}"),
        row(
            "{'events':[]}",
            "[{'type':'append','path':'events','value':['nested','array']}]",
            "{'events':[['nested','array']]}"),
        row(
            "{'string':null,'array':null}",
            "[{'type':'append','path':'string','value':'chunk'},"
                + "{'type':'append','path':'array','value':{'kind':'chunk'}}]",
            "{'string':'chunk','array':[{'kind':'chunk'}]}"),
        row(
            "{'session-1':{'ts1':'a'}}",
            "[{'type':'merge','path':'session-1','value':{'ts2':'b'}}]",
            "{'session-1':{'ts1':'a','ts2':'b'}}"),
        row(
            "{'sessions':{'abc':'garbage'}}",
            "[{'type':'merge','path':['sessions','abc'],'value':{'author':'alice'}}]",
            "{'sessions':{'abc':{'author':'alice'}}}"),
        row(
            "{}",
            "[{'type':'merge','path':['a','b','c'],'value':{'x':1}}]",
            "{'a':{'b':{'c':{'x':1}}}}"),
        row(
            "{'s':{'abc':{'author':'old','topic':'kept'}}}",
            "[{'type':'merge','path':['s','abc'],'value':{'author':'new'}}]",
            "{'s':{'abc':{'author':'new','topic':'kept'}}}"),
        row(
            "{'a':1}",
            "[{'type':'merge','path':'foo','value':'not-an-object'}]",
            "{'a':1}",
            "0:merge.value.not_an_object"),
        row("{'a':1}", "[{'type':'merge','value':{'b':2}}]", "{'a':1,'b':2}"),
        row("{'a':1}", "[{'type':'merge','path':'','value':{'b':2}}]", "{'a':1,'b':2}"),
        row("{'a':1}", "[{'type':'merge','path':[],'value':{'b':2}}]", "{'a':1,'b':2}"),
        row("'leaf'", "[{'type':'merge','value':{'a':1}}]", "'leaf'"),
        row(
            "{'a':{'b':{'kept':true}}}",
            "[{'type':'merge','path':['a.b'],'value':{'x':1}}]",
            "{'a':{'b':{'kept':true}},'a.b':{'x':1}}"),
        row(
            "{}",
            "[{'type':'merge','path':['a',''],'value':{'x':1}}]",
            "{}",
            "0:merge.path.empty_segment"),
        row(
            "{}",
            "[{'type':'merge','path':'constructor','value':{'x':1}}]",
            "{}",
            "0:merge.path.proto_polluted"),
        row(
            "{}",
            "[{'type':'merge','path':'p','value':{'__proto__':{'polluted':true}}}]",
            "{}",
            "0:merge.value.proto_polluted"),
        row(
            "{}",
            "[{'type':'increment','path':'prototype','by':1}]",
            "{}",
            "0:increment.path.proto_polluted"),
        row(
            "{}",
            "[{'type':'decrement','path':'__proto__','by':1}]",
            "{}",
            "0:decrement.path.proto_polluted"),
        row("{}", "[{'type':'remove','path':'constructor'}]", "{}", "0:remove.path.proto_polluted"),
        row(
            "{'entityId':{'buffer':['a']}}",
            "[{'type':'append','path':['entityId','buffer'],'value':'b'}]",
            "{'entityId':{'buffer':['a','b']}}"),
        row(
            "{}",
            "[{'type':'append','path':['entityId','buffer'],'value':'a'}]",
            "{'entityId':{'buffer':['a']}}"),
        row("{}", "[{'type':'append','path':'buffer','value':'x'}]", "{'buffer':'x'}"),
        row(
            "{'entityId':{'buffer':{'x':'y'}}}",
                "[{'type':'append','path':['entityId','buffer'],'value':'z'}]",
            "{'entityId':{'buffer':{'x':'y'}}}", "0:append.type_mismatch"),
        row(
            "[1,2,3]",
            "[{'type':'append','path':['a','b'],'value':'x'}]",
            "[1,2,3]",
            "0:append.target_not_object"),
        row(
            "{'safe':{}}",
            "[{'type':'append','path':['safe','prototype'],'value':'x'}]",
            "{'safe':{}}",
            "0:append.path.proto_polluted"),
        row(
            "{'buffer':[]}",
            "[{'type':'append','path':'buffer','value':'first'},"
                + "{'type':'append','path':['__proto__','polluted'],'value':true},"
                + "{'type':'append','path':'buffer','value':'third'}]",
            "{'buffer':['first','third']}",
            "1:append.path.proto_polluted"),
        row("'text'", "[{'type':'set','path':'a','value':1}]", "'text'", "0:set.target_not_object"),
        row("7", "[{'type':'remove','path':'a'}]", "7", "0:remove.target_not_object"),
        row(
            "true",
            "[{'type':'increment','path':'a','by':1}]",
            "true",
            "0:increment.target_not_object"));
  }

  private static Arguments row(String old, String ops, String expected, String... errors) {
    return Arguments.of(old, ops, expected, List.of(errors));
  }

  @ParameterizedTest(name = "{0} + {1}")
  @MethodSource("cases")
  void appliesLikeTheOfficialEngine(String old, String ops, String expected, List<String> errors) {
    @Nullable JsonNode before = old.equals("absent") ? null : json(old);
    UpdateOps.Applied applied = UpdateOps.apply(before, UpdateOps.parse(json(ops)));

    assertThat(applied.value()).isEqualTo(json(expected));
    assertThat(applied.errors())
        .extracting(e -> e.opIndex() + ":" + e.code())
        .containsExactlyElementsOf(errors);
    assertThat(applied.errors())
        .allSatisfy(e -> assertThat(e.docUrl()).isEqualTo(UpdateOps.DOC_URL));
    if (before != null) {
      assertThat(before).as("the old value is never changed").isEqualTo(json(old));
    }
  }

  @ParameterizedTest
  @MethodSource("limits")
  void enforcesTheOfficialLimits(String path, JsonNode value, String code) {
    JsonNode ops =
        MAPPER
            .createArrayNode()
            .add(MAPPER.createObjectNode().put("type", "merge").set("path", json(path)).deepCopy());
    ((tools.jackson.databind.node.ObjectNode) ops.get(0)).set("value", value);
    UpdateOps.Applied applied = UpdateOps.apply(json("{}"), UpdateOps.parse(ops));
    assertThat(applied.errors()).extracting(UpdateOpError::code).containsExactly(code);
    assertThat(applied.value()).isEqualTo(json("{}"));
  }

  static Stream<Arguments> limits() {
    StringBuilder deep = new StringBuilder("[");
    for (int i = 0; i < 33; i++) {
      deep.append(i == 0 ? "" : ",").append("'s").append(i).append("'");
    }
    StringBuilder nested = new StringBuilder("{}");
    for (int i = 0; i < 16; i++) {
      nested.insert(0, "{'n':").append("}");
    }
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < 1025; i++) {
      wide.append(i == 0 ? "" : ",").append("'k").append(i).append("':1");
    }
    return Stream.of(
        Arguments.of(deep + "]", json("{'x':1}"), "merge.path.too_deep"),
        Arguments.of("['" + "x".repeat(257) + "']", json("{'x':1}"), "merge.path.segment_too_long"),
        Arguments.of("'foo'", json(nested.toString()), "merge.value.too_deep"),
        Arguments.of("'foo'", json(wide + "}"), "merge.value.too_many_keys"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void refusesMalformedOpsAsSerdeDoes(String ops, String message) {
    assertThatThrownBy(() -> UpdateOps.parse(json(ops)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("{'type':'set'}", "expected a sequence"),
        Arguments.of("[{'path':'a'}]", "missing field `type`"),
        Arguments.of("[{'type':'multiply','path':'a'}]", "unknown variant `multiply`"),
        Arguments.of("[{'type':'set','value':1}]", "missing field `path`"),
        Arguments.of("[{'type':'increment','path':'a'}]", "missing field `by`"),
        Arguments.of("[{'type':'increment','path':'a','by':1.5}]", "expected i64"),
        Arguments.of("[{'type':'remove','path':['a']}]", "expected a string"),
        Arguments.of("[{'type':'merge','path':'a'}]", "missing field `value`"),
        Arguments.of("[{'type':'append','path':[1],'value':1}]", "untagged enum MergePath"),
        Arguments.of("[3]", "internally tagged enum UpdateOp"));
  }
}
