package dev.asap.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MESSAGES =
      "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";

  @Test
  void readsEveryKnownFieldAndIgnoresUnknownOnes() throws Exception {
    ChatRequest request =
        parse(
            "{\"model\": \"m\", \"messages\": [{\"role\": \"system\", \"content\": \"s\"},"
                + " {\"role\": \"user\", \"content\": \"u\"}], \"max_completion_tokens\": 7,"
                + " \"temperature\": 0.5, \"top_p\": 0.9, \"seed\": 3, \"stop\": \"\\n\","
                + " \"n\": 1, \"stream\": false, \"logprobs\": null, \"user\": \"x\","
                + " \"response_format\": {\"type\": \"json_schema\", \"json_schema\":"
                + " {\"name\": \"p\", \"strict\": true, \"schema\": {\"type\": \"object\"}}}}");

    assertThat(request.model()).isEqualTo("m");
    assertThat(request.messages())
        .containsExactly(new ChatMessage("system", "s"), new ChatMessage("user", "u"));
    assertThat(request.maxTokens()).isEqualTo(7);
    assertThat(request.temperature()).isEqualTo(0.5);
    assertThat(request.topP()).isEqualTo(0.9);
    assertThat(request.seed()).isEqualTo(3L);
    assertThat(request.stop()).containsExactly("\n");
    assertThat(request.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
    assertThat(request.responseFormat().schema().toString()).isEqualTo("{\"type\":\"object\"}");
  }

  @Test
  void refusesABodyThatIsNotAnObject() {
    assertRefused("[1]", "the request body must be a JSON object", null);
  }

  @Test
  void refusesMissingOrEmptyMessages() {
    assertRefused(
        "{\"messages\": []}", "messages must be a non-empty array of {role, content}", "messages");
  }

  @Test
  void refusesAMessageThatIsNotAnObject() {
    assertRefused(
        "{\"messages\": [\"hi\"]}", "messages[0] must be an object {role, content}", "messages[0]");
  }

  @Test
  void refusesAnUnknownRoleNamingTheMessage() {
    assertRefused(
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"},"
            + " {\"role\": \"assistant\", \"content\": \"b\"},"
            + " {\"role\": \"tool\", \"content\": \"c\"}]}",
        "messages[2].role must be one of system, user, assistant",
        "messages[2].role");
  }

  @Test
  void refusesContentThatIsNotAString() {
    assertRefused(
        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\"}]}]}",
        "messages[0].content must be a string",
        "messages[0].content");
  }

  @Test
  void refusesAModelThatIsNotAString() {
    assertRefused("{\"model\": 4, " + MESSAGES + "}", "model must be a string", "model");
  }

  @Test
  void refusesMaxTokensBelowOne() {
    assertRefused(
        "{" + MESSAGES + ", \"max_tokens\": 0}",
        "max_tokens must be an integer of at least 1",
        "max_tokens");
  }

  @Test
  void refusesAFractionalMaxCompletionTokens() {
    assertRefused(
        "{" + MESSAGES + ", \"max_completion_tokens\": 2.5}",
        "max_completion_tokens must be an integer of at least 1",
        "max_completion_tokens");
  }

  @Test
  void refusesMaxTokensAndItsAliasDisagreeing() {
    assertRefused(
        "{" + MESSAGES + ", \"max_tokens\": 5, \"max_completion_tokens\": 6}",
        "max_completion_tokens must equal max_tokens when both are given",
        "max_completion_tokens");
  }

  @Test
  void refusesATemperatureAboveTwo() {
    assertRefused(
        "{" + MESSAGES + ", \"temperature\": 2.5}",
        "temperature must be a number from 0 to 2",
        "temperature");
  }

  @Test
  void refusesATopPOfZero() {
    assertRefused(
        "{" + MESSAGES + ", \"top_p\": 0}",
        "top_p must be a number above 0 and at most 1",
        "top_p");
  }

  @Test
  void refusesASeedThatIsNotAnInteger() {
    assertRefused("{" + MESSAGES + ", \"seed\": \"7\"}", "seed must be an integer", "seed");
  }

  @Test
  void refusesMoreThanFourStopStrings() {
    assertRefused(
        "{" + MESSAGES + ", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}",
        "stop must be a string or an array of at most 4 strings",
        "stop");
  }

  @Test
  void refusesAStopEntryThatIsNotAString() {
    assertRefused(
        "{" + MESSAGES + ", \"stop\": [\"a\", 1]}", "stop[1] must be a string", "stop[1]");
  }

  @Test
  void readsAnArrayOfStopStrings() throws Exception {
    assertThat(parse("{" + MESSAGES + ", \"stop\": [\"a\", \"b\"]}").stop())
        .isEqualTo(List.of("a", "b"));
  }

  @Test
  void refusesMoreThanOneChoice() {
    assertRefused(
        "{" + MESSAGES + ", \"n\": 2}", "n must be 1: this gateway returns one choice", "n");
  }

  @Test
  void refusesStreaming() {
    assertRefused(
        "{" + MESSAGES + ", \"stream\": true}",
        "stream must be false: this gateway answers in one response",
        "stream");
  }

  @Test
  void refusesAnUnknownResponseFormatType() {
    assertRefused(
        "{" + MESSAGES + ", \"response_format\": {\"type\": \"yaml\"}}",
        "response_format.type must be one of text, json_object, json_schema",
        "response_format.type");
  }

  @Test
  void refusesAJsonSchemaFormatWithoutItsSpec() {
    assertRefused(
        "{" + MESSAGES + ", \"response_format\": {\"type\": \"json_schema\"}}",
        "response_format.json_schema must be an object {name, schema, strict}",
        "response_format.json_schema");
  }

  @Test
  void refusesAJsonSchemaNameThatIsNotAString() {
    assertRefused(
        "{"
            + MESSAGES
            + ", \"response_format\": {\"type\": \"json_schema\","
            + " \"json_schema\": {\"name\": 1, \"schema\": {}}}}",
        "response_format.json_schema.name must be a string",
        "response_format.json_schema.name");
  }

  @Test
  void refusesAStrictFlagThatIsNotABoolean() {
    assertRefused(
        "{"
            + MESSAGES
            + ", \"response_format\": {\"type\": \"json_schema\","
            + " \"json_schema\": {\"strict\": \"yes\", \"schema\": {}}}}",
        "response_format.json_schema.strict must be true or false",
        "response_format.json_schema.strict");
  }

  @Test
  void refusesASchemaThatIsNotAnObject() {
    assertRefused(
        "{"
            + MESSAGES
            + ", \"response_format\": {\"type\": \"json_schema\","
            + " \"json_schema\": {\"name\": \"p\", \"schema\": \"object\"}}}",
        "response_format.json_schema.schema must be a JSON Schema object",
        "response_format.json_schema.schema");
  }

  @Test
  void refusesAGrammarThatIsNotAString() {
    assertRefused("{" + MESSAGES + ", \"grammar\": 1}", "grammar must be a string", "grammar");
  }

  @Test
  void refusesAGrammarTogetherWithAJsonFormat() {
    assertRefused(
        "{"
            + MESSAGES
            + ", \"grammar\": \"root ::= \\\"a\\\"\","
            + " \"response_format\": {\"type\": \"json_object\"}}",
        "grammar cannot be combined with a JSON response_format: give one or the other",
        "grammar");
  }

  private static ChatRequest parse(String json) throws Exception {
    return ChatRequestParser.parse(JSON.readTree(json));
  }

  private static void assertRefused(String json, String message, String param) {
    InvalidRequestException refused =
        catchThrowableOfType(InvalidRequestException.class, () -> parse(json));

    assertThat(refused).hasMessage(message);
    assertThat(refused.param()).isEqualTo(param);
  }
}
