package dev.asap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.cli.BestSoFarPlot.Point;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.Objective;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BestSoFarPlotTest {
  private static final Map<String, Object> P = Map.of("C", 1.0);

  /** Out of finishing order on purpose; trial 1 starts first, at second 0. */
  private static final List<TrialRecord> TRIALS =
      List.of(
          Trials.completed(0, "random", P, 2, 10, 0.90),
          Trials.completed(1, "sobol", P, 0, 6, 0.85),
          Trials.failed(2, "tpe", P, 1, 7, "exit status 1"),
          Trials.completed(3, "tpe", P, 5, 12, 0.80),
          Trials.completed(4, "gp", P, 11, 20, 0.95),
          Trials.running(5, "gp", P, 13));

  @TempDir Path dir;

  @Test
  void keepsTheLargestValueSoFarWhenMaximizing() {
    assertThat(BestSoFarPlot.series(TRIALS, Direction.MAXIMIZE))
        .containsExactly(
            new Point(6.0, 0.85, 0.85),
            new Point(10.0, 0.90, 0.90),
            new Point(12.0, 0.80, 0.90),
            new Point(20.0, 0.95, 0.95));
  }

  @Test
  void keepsTheSmallestValueSoFarWhenMinimizing() {
    assertThat(BestSoFarPlot.series(TRIALS, Direction.MINIMIZE))
        .containsExactly(
            new Point(6.0, 0.85, 0.85),
            new Point(10.0, 0.90, 0.85),
            new Point(12.0, 0.80, 0.80),
            new Point(20.0, 0.95, 0.80));
  }

  @Test
  void writesAPngOfTheRequestedSizeCreatingItsFolder() throws IOException {
    Path file = dir.resolve("digits-svm/best-so-far.png");
    var objective = new Objective("val_accuracy", Direction.MAXIMIZE, null, List.of());

    boolean written = BestSoFarPlot.write("digits-svm", objective, TRIALS, file, 640, 480);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(written).isTrue();
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(480);
  }

  @Test
  void writesNothingWhenNoTrialCompleted() throws IOException {
    Path file = dir.resolve("plot.png");
    var objective = new Objective("val_log_loss", Direction.MINIMIZE, null, List.of());
    List<TrialRecord> failed = List.of(Trials.failed(0, "random", P, 0, 3, "exit status 1"));

    boolean written = BestSoFarPlot.write("breast-cancer-gbm", objective, failed, file, 640, 480);

    assertThat(written).isFalse();
    assertThat(Files.exists(file)).isFalse();
  }
}
