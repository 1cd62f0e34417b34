package dev.asap.cli;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.study.Direction;
import dev.asap.engine.study.Objective;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws how a study's best objective improved over wall-clock time, with every completed trial as a
 * point, so that a run can be judged (and two runs compared) at a glance.
 *
 * <p>Drawing text needs a font that Java can find through fontconfig, even headless.
 */
public final class BestSoFarPlot {

  static {
    // The command runs in terminals and CI without a display; AWT must not look for one.
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * One completed trial on the plot.
   *
   * @param seconds when it finished, in seconds since the first trial started
   * @param value its objective
   * @param best the best objective of all trials finished by then, this one included
   */
  public record Point(double seconds, double value, double best) {}

  private BestSoFarPlot() {}

  /**
   * The completed trials in the order they finished, each with the best value so far. Trials
   * without a finite objective or an end time are left out; so is everything when none started.
   */
  public static List<Point> series(List<TrialRecord> trials, Direction direction) {
    Instant first =
        trials.stream()
            .map(TrialRecord::startedAt)
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse(null);
    if (first == null) {
      return List.of();
    }
    List<TrialRecord> completed =
        trials.stream()
            .filter(t -> t.state() == TrialState.COMPLETED)
            .filter(t -> t.objective() != null && Double.isFinite(t.objective()))
            .filter(t -> t.finishedAt() != null)
            .sorted(
                Comparator.comparing(TrialRecord::finishedAt).thenComparingInt(TrialRecord::number))
            .toList();
    var points = new ArrayList<Point>();
    double best = Double.NaN;
    for (TrialRecord t : completed) {
      double value = t.objective();
      if (Double.isNaN(best) || direction.better(value, best)) {
        best = value;
      }
      double seconds = Duration.between(first, t.finishedAt()).toMillis() / 1000.0;
      points.add(new Point(seconds, value, best));
    }
    return points;
  }

  /**
   * Writes the plot of {@code trials} as a PNG of {@code width} by {@code height} pixels, creating
   * the file's folder.
   *
   * @return whether a plot was written: {@code false} when no trial completed
   */
  public static boolean write(
      String study, Objective objective, List<TrialRecord> trials, Path file, int width, int height)
      throws IOException {
    List<Point> points = series(trials, objective.direction());
    if (points.isEmpty()) {
      return false;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(width)
            .height(height)
            .title(study)
            .xAxisTitle("seconds since the first trial started")
            .yAxisTitle(objective.metric())
            .build();
    // The corner the best-so-far line moves away from is the one left empty.
    chart
        .getStyler()
        .setLegendPosition(
            objective.direction() == Direction.MAXIMIZE
                ? LegendPosition.InsideSE
                : LegendPosition.InsideNE);
    double[] x = points.stream().mapToDouble(Point::seconds).toArray();
    chart
        .addSeries("completed trial", x, points.stream().mapToDouble(Point::value).toArray())
        .setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter)
        .setMarker(SeriesMarkers.CIRCLE);
    chart
        .addSeries("best so far", x, points.stream().mapToDouble(Point::best).toArray())
        .setXYSeriesRenderStyle(XYSeriesRenderStyle.Step)
        .setMarker(SeriesMarkers.NONE);
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null) {
      Files.createDirectories(folder);
    }
    // ImageIO's disk cache registers a shutdown hook on first use, which fails when the plot is
    // drawn from asap's own shutdown hook (Ctrl-C); the plot is small enough to encode in memory.
    ImageIO.setUseCache(false);
    // Written beside the target and moved over it, so an interrupted write never leaves a broken
    // file in place of the last good plot.
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (OutputStream png = Files.newOutputStream(partial)) {
      BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }
}
