package dev.asap.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The default embedded backend, with llama.cpp's own log copied to a file this test owns. */
public class LlamaLogProfile implements QuarkusTestProfile {

  static final Path LOG_FILE = createLogFile();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("asap.gateway.backends[0].log-file", LOG_FILE.toString());
  }

  private static Path createLogFile() {
    try {
      Path folder = Files.createTempDirectory("asap-gateway-test");
      folder.toFile().deleteOnExit();
      return folder.resolve("llama.log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
