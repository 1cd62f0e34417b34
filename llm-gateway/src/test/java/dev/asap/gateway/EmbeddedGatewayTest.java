package dev.asap.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.gateway.api.ChatMessage;
import dev.asap.gateway.backend.BackendPool;
import dev.asap.gateway.backend.EmbeddedBackend;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LlamaLogProfile.class)
class EmbeddedGatewayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PICK_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"pick\":{\"enum\":[1,2,3]}},"
          + "\"required\":[\"pick\"],\"additionalProperties\":false}";

  @Inject BackendPool pool;

  @Test
  void answersAJsonSchemaRequestWithAPickFromTheEnum() throws Exception {
    ObjectNode request =
        chat("You choose one of three candidates.", "Candidates: 1, 2, 3. Answer with a pick.");
    request.put("max_tokens", 40);
    request
        .putObject("response_format")
        .put("type", "json_schema")
        .putObject("json_schema")
        .put("name", "pick")
        .put("strict", true)
        .set("schema", JSON.readTree(PICK_SCHEMA));

    Response response = post(request);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("X-Asap-Backend")).isEqualTo("embedded");
    JsonNode body = JSON.readTree(response.asString());
    JsonNode answer = JSON.readTree(body.at("/choices/0/message/content").asText());
    assertThat(answer.get("pick").asInt()).isIn(1, 2, 3);
    assertThat(answer.size()).isEqualTo(1);
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void refusesASchemaOutsideTheSupportedSubsetWithoutReachingTheModel() throws Exception {
    ObjectNode request = chat("You choose.", "Pick.");
    request
        .putObject("response_format")
        .put("type", "json_schema")
        .putObject("json_schema")
        .set("schema", JSON.readTree("{\"type\": \"string\", \"pattern\": \"((\"}"));

    Response response = post(request);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.asString()).at("/error/param").asText())
        .isEqualTo("response_format.json_schema.schema.pattern");
  }

  @Test
  void reportsTheCommonTokenPrefixOfAnExtendedPromptAsCached() throws Exception {
    String system = "You are the integrator of a hyperparameter search; keep answers short.";
    String first = "Trial 1: lr=0.1 loss=0.52\nTrial 2: lr=0.01 loss=0.31";
    String second = first + "\nTrial 3: lr=0.001 loss=0.29";
    EmbeddedBackend backend = (EmbeddedBackend) pool.backends().get("embedded");
    int[] firstTokens = backend.tokenize(backend.render(messages(system, first)));
    int[] secondTokens = backend.tokenize(backend.render(messages(system, second)));
    int commonPrefix = 0;
    while (firstTokens[commonPrefix] == secondTokens[commonPrefix]) {
      commonPrefix++;
    }
    double promptBefore = metric("asap_gateway_prompt_tokens_total{backend=\"embedded\"}");
    double cachedBefore = metric("asap_gateway_prompt_cached_tokens_total{backend=\"embedded\"}");

    JsonNode firstAnswer = JSON.readTree(post(shortChat(system, first)).asString());
    JsonNode secondAnswer = JSON.readTree(post(shortChat(system, second)).asString());

    assertThat(firstAnswer.at("/usage/prompt_tokens").asInt()).isEqualTo(firstTokens.length);
    assertThat(secondAnswer.at("/usage/prompt_tokens").asInt()).isEqualTo(secondTokens.length);
    int cached = secondAnswer.at("/usage/prompt_tokens_details/cached_tokens").asInt();
    assertThat(cached).isEqualTo(commonPrefix);
    assertThat(secondAnswer.at("/timings/cache_n").asInt()).isEqualTo(commonPrefix);
    assertThat(secondAnswer.at("/timings/prompt_n").asInt())
        .isEqualTo(secondTokens.length - commonPrefix);
    LlamaReport report = llamaReportFor(secondTokens.length);
    assertThat(report.reusedUpTo()).isEqualTo(commonPrefix);
    assertThat(report.evaluated()).isEqualTo(secondTokens.length - cached);
    int firstCached = firstAnswer.at("/usage/prompt_tokens_details/cached_tokens").asInt();
    assertThat(metric("asap_gateway_prompt_tokens_total{backend=\"embedded\"}") - promptBefore)
        .isEqualTo(firstTokens.length + secondTokens.length);
    assertThat(
            metric("asap_gateway_prompt_cached_tokens_total{backend=\"embedded\"}") - cachedBefore)
        .isEqualTo(firstCached + commonPrefix);
  }

  @Test
  void refusesAnUnknownRoleWithAnOpenAiErrorBody() throws Exception {
    ObjectNode request = chat("s", "u");
    ((ObjectNode) request.get("messages").get(1)).put("role", "tool");

    Response response = post(request);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.asString()))
        .isEqualTo(
            JSON.readTree(
                "{\"error\":{\"message\":\"messages[1].role must be one of system, user,"
                    + " assistant\",\"type\":\"invalid_request_error\","
                    + "\"param\":\"messages[1].role\"}}"));
  }

  @Test
  void listsTheEmbeddedModel() throws Exception {
    JsonNode models = JSON.readTree(given().get("/v1/models").asString());

    assertThat(models.at("/data/0/id").asText()).isEqualTo("SmolLM2-135M-Instruct.Q4_1");
    assertThat(models.get("data").size()).isEqualTo(1);
  }

  /** What llama.cpp logged for the request whose prompt had {@code promptTokens} tokens. */
  private record LlamaReport(int reusedUpTo, int evaluated) {}

  private static LlamaReport llamaReportFor(int promptTokens) {
    Pattern request =
        Pattern.compile(
            "n_prompt_tokens = "
                + promptTokens
                + "\\n.*?kv cache rm \\[(\\d+), end\\).*?prompt eval time = +[0-9.]+ ms / +(\\d+)"
                + " tokens",
            Pattern.DOTALL);
    // llama.cpp writes its log from a background thread, so the lines may trail the response.
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              if (!Files.exists(LlamaLogProfile.LOG_FILE)) {
                return null;
              }
              Matcher matcher = request.matcher(Files.readString(LlamaLogProfile.LOG_FILE));
              LlamaReport last = null;
              while (matcher.find()) {
                last =
                    new LlamaReport(
                        Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
              }
              return last;
            },
            report -> report != null);
  }

  private static double metric(String series) {
    String text = given().get("/q/metrics").asString();
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return 0;
  }

  private static List<ChatMessage> messages(String system, String user) {
    return List.of(new ChatMessage("system", system), new ChatMessage("user", user));
  }

  private static ObjectNode shortChat(String system, String user) {
    ObjectNode request = chat(system, user);
    request.put("max_tokens", 4);
    request.put("temperature", 0);
    return request;
  }

  private static ObjectNode chat(String system, String user) {
    ObjectNode request = JSON.createObjectNode();
    request.putArray("messages");
    request.withArray("messages").addObject().put("role", "system").put("content", system);
    request.withArray("messages").addObject().put("role", "user").put("content", user);
    return request;
  }

  private static Response post(ObjectNode request) {
    return given()
        .contentType("application/json")
        .body(request.toString())
        .post("/v1/chat/completions");
  }
}
