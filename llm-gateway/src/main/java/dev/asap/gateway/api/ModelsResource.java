package dev.asap.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.gateway.CompletionDispatcher;
import dev.asap.gateway.backend.Backend;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.Set;

/** OpenAI's {@code GET /v1/models}: the models the configured backends serve. */
@Path("/v1/models")
public class ModelsResource {

  @Inject CompletionDispatcher dispatcher;
  @Inject ObjectMapper json;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String list() {
    Set<String> models = new LinkedHashSet<>();
    for (Backend backend : dispatcher.backends().values()) {
      models.add(backend.model());
    }
    ObjectNode root = json.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String model : models) {
      data.addObject()
          .put("id", model)
          .put("object", "model")
          .put("created", 0)
          .put("owned_by", "asap");
    }
    return root.toString();
  }
}
