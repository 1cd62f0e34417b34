package dev.asap.engine.loop;

import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.study.StudySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of what makes two runs' trials comparable: the objective's metric and direction and the
 * search space. Budget, pool and template may change between runs of one study.
 */
public final class Fingerprint {
  private Fingerprint() {}

  public static String of(StudySpec spec) {
    var text = new StringBuilder();
    text.append(spec.objective().metric()).append('|').append(spec.objective().direction());
    for (Parameter p : spec.searchSpace().parameters()) {
      text.append('|');
      if (p instanceof FloatParameter f) {
        text.append("float:")
            .append(f.name())
            .append(':')
            .append(f.min())
            .append(':')
            .append(f.max())
            .append(':')
            .append(f.log());
      } else if (p instanceof IntParameter i) {
        text.append("int:")
            .append(i.name())
            .append(':')
            .append(i.min())
            .append(':')
            .append(i.max())
            .append(':')
            .append(i.step())
            .append(':')
            .append(i.log());
      } else if (p instanceof CategoricalParameter c) {
        text.append("categorical:").append(c.name()).append(':').append(c.values());
      }
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
