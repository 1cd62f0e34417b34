package dev.asap.operator.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Reads an enum value this operator does not know (a CRD installed newer than the operator) as
 * missing, so that the study's spec check names the field, instead of failing the watch of every
 * study in the cluster on one resource it cannot read.
 */
@Singleton
public class TolerantResourceReading implements KubernetesClientObjectMapperCustomizer {
  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // A value of the wrong type (only a schema-less write gets one past the API server) reads as
    // missing too: that field takes its default, and the watch goes on.
    mapper.addHandler(
        new DeserializationProblemHandler() {
          @Override
          public Object handleWeirdStringValue(
              DeserializationContext context, Class<?> type, String value, String message) {
            return null;
          }

          @Override
          public Object handleWeirdNumberValue(
              DeserializationContext context, Class<?> type, Number value, String message) {
            return null;
          }

          @Override
          public Object handleUnexpectedToken(
              DeserializationContext context,
              JavaType type,
              JsonToken token,
              JsonParser parser,
              String message)
              throws IOException {
            parser.skipChildren();
            return null;
          }
        });
  }
}
