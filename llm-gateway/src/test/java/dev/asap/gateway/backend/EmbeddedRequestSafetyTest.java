package dev.asap.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asap.gateway.api.ChatRequest;
import dev.asap.gateway.api.ChatRequestParser;
import dev.asap.gateway.api.ErrorBody;
import dev.asap.gateway.api.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Inputs that made llama.cpp abort the JVM, refused before any reaches native code. */
class EmbeddedRequestSafetyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUPPORTED =
      " is not supported by embedded backends; supported keywords: type, properties, required,"
          + " additionalProperties (false), enum, const, items, and the annotations title,"
          + " description, $schema";
  private static final String SCALAR =
      " must be a finite number, a boolean, null, or a string without control characters";
  private static final String ROOT = "response_format.json_schema.schema";

  private static ChatRequest request(String extra) throws Exception {
    return ChatRequestParser.parse(
        JSON.readTree("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]" + extra + "}"));
  }

  private static ChatRequest withSchema(String schema) throws Exception {
    return request(
        ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"schema\": "
            + schema
            + "}}");
  }

  private static ClientError refusal(String message, String param) {
    return new ClientError(400, ErrorBody.of(message, "invalid_request_error", param));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"$ref\": \"#/nope\"}|.$ref",
        "{\"not\": {}}|.not",
        "{\"type\": \"string\", \"pattern\": \"((\"}|.pattern",
        "{\"type\": \"integer\", \"minimum\": 5, \"maximum\": 1}|.minimum",
        "{\"anyOf\": [{\"type\": \"string\"}]}|.anyOf",
        "{\"properties\": {\"a\": {\"items\": {\"format\": \"date\"}}}}|.properties.a.items.format"
      })
  void refusesAKeywordOutsideTheSubsetNamingItsPath(String schema, String path) throws Exception {
    assertThat(EmbeddedBackend.refuseUnsafe(withSchema(schema)))
        .isEqualTo(refusal(ROOT + path + SUPPORTED, ROOT + path));
  }

  @Test
  void refusesAnUnknownType() throws Exception {
    assertThat(EmbeddedBackend.refuseUnsafe(withSchema("{\"type\": \"foo\"}")))
        .isEqualTo(
            refusal(
                ROOT
                    + ".type must be one of object, string, integer, number, boolean, array,"
                    + " null",
                ROOT + ".type"));
  }

  @Test
  void refusesAConstWithANulCharacter() throws Exception {
    assertThat(EmbeddedBackend.refuseUnsafe(withSchema("{\"const\": \"\\u0000\"}")))
        .isEqualTo(refusal(ROOT + ".const" + SCALAR, ROOT + ".const"));
  }

  @Test
  void refusesAnEnumValueWithANulCharacter() throws Exception {
    assertThat(EmbeddedBackend.refuseUnsafe(withSchema("{\"enum\": [\"a\", \"\\u0000\"]}")))
        .isEqualTo(refusal(ROOT + ".enum[1]" + SCALAR, ROOT + ".enum[1]"));
  }

  @Test
  void refusesAnEmptyEnum() throws Exception {
    assertThat(EmbeddedBackend.refuseUnsafe(withSchema("{\"enum\": []}")))
        .isEqualTo(refusal(ROOT + ".enum must be a non-empty array", ROOT + ".enum"));
  }

  @Test
  void refusesAPropertyNameWithANulCharacter() throws Exception {
    String schema = "{\"type\": \"object\", \"properties\": {\"\\u0000\": {}}}";
    assertThat(EmbeddedBackend.refuseUnsafe(withSchema(schema)))
        .isEqualTo(
            refusal(
                ROOT + ".properties has a property name that is empty or holds control characters",
                ROOT + ".properties"));
  }

  @Test
  void refusesARequiredNameMissingFromProperties() throws Exception {
    String schema = "{\"properties\": {\"a\": {}}, \"required\": [\"a\", \"b\"]}";
    assertThat(EmbeddedBackend.refuseUnsafe(withSchema(schema)))
        .isEqualTo(
            refusal(
                ROOT + ".required[1] must name a property listed in properties",
                ROOT + ".required[1]"));
  }

  @Test
  void refusesSchemasNestedDeeperThanTheCap() throws Exception {
    String schema = "{}";
    for (int i = 0; i < SupportedJsonSchema.MAX_DEPTH + 1; i++) {
      schema = "{\"items\": " + schema + "}";
    }
    String path = ROOT + ".items".repeat(SupportedJsonSchema.MAX_DEPTH + 1);

    assertThat(EmbeddedBackend.refuseUnsafe(withSchema(schema)))
        .isEqualTo(refusal(path + " nests schemas deeper than 16 levels", path));
  }

  @Test
  void refusesARawGrammarEvenAValidLookingOne() throws Exception {
    String message =
        "grammar is not supported by embedded backends; use response_format with a json_schema";
    for (String grammar :
        new String[] {"root ::= \\\"\\\\u0000\\\"", "root ::= foo", "not a grammar at all"}) {
      assertThat(EmbeddedBackend.refuseUnsafe(request(", \"grammar\": \"" + grammar + "\"")))
          .isEqualTo(refusal(message, "grammar"));
    }
  }

  @Test
  void acceptsTheEnginesPickSchema() throws Exception {
    String schema =
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"title\": \"choice\","
            + " \"type\": \"object\", \"properties\": {\"pick\": {\"enum\": [1, 2, 3]},"
            + " \"why\": {\"type\": \"string\", \"description\": \"short\"},"
            + " \"tags\": {\"type\": \"array\", \"items\": {\"const\": \"x\"}}},"
            + " \"required\": [\"pick\"], \"additionalProperties\": false}";

    assertThat(EmbeddedBackend.refuseUnsafe(withSchema(schema))).isNull();
  }

  @Test
  void acceptsPlainTextAndJsonObjectRequests() throws Exception {
    assertThat(EmbeddedBackend.refuseUnsafe(request(""))).isNull();
    assertThat(
            EmbeddedBackend.refuseUnsafe(
                request(", \"response_format\": {\"type\": \"json_object\"}")))
        .isNull();
  }

  @Test
  void refusesAPromptThatFillsTheContextWhenNoMaxTokensIsGiven() {
    assertThatThrownBy(() -> EmbeddedBackend.answerBudget(8192, null, 8192))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("the prompt's 8192 tokens leave no room for an answer in the context size 8192")
        .extracting(e -> ((InvalidRequestException) e).param())
        .isEqualTo("messages");
    assertThatThrownBy(() -> EmbeddedBackend.answerBudget(9000, null, 8192))
        .hasMessage(
            "the prompt's 9000 tokens leave no room for an answer in the context size 8192");
  }

  @Test
  void refusesMaxTokensBeyondWhatThePromptLeaves() {
    assertThatThrownBy(() -> EmbeddedBackend.answerBudget(8000, 200, 8192))
        .hasMessage("the prompt's 8000 tokens plus max_tokens 200 exceed the context size 8192");
  }

  @Test
  void givesTheAnswerWhatThePromptLeavesUpToTheDefaultCap() throws Exception {
    assertThat(EmbeddedBackend.answerBudget(8191, null, 8192)).isEqualTo(1);
    assertThat(EmbeddedBackend.answerBudget(8000, null, 8192)).isEqualTo(192);
    assertThat(EmbeddedBackend.answerBudget(100, null, 8192)).isEqualTo(1024);
    assertThat(EmbeddedBackend.answerBudget(100, 5, 8192)).isEqualTo(5);
  }
}
