package dev.asap.cli;

import java.util.ArrayList;
import java.util.List;

/** Fixed-width text columns, two spaces apart, for tables meant to be read in a terminal. */
final class Columns {

  /** One column: its header, its width and whether its cells align right (numbers do). */
  record Column(String header, int width, boolean right) {
    Column {
      width = Math.max(width, header.length());
    }
  }

  private final List<Column> columns;

  Columns(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /** Columns as wide as the widest of their header and cells. */
  static Columns fitted(List<String> headers, List<Boolean> right, List<List<String>> rows) {
    var columns = new ArrayList<Column>();
    for (int i = 0; i < headers.size(); i++) {
      int width = 0;
      for (List<String> row : rows) {
        width = Math.max(width, row.get(i).length());
      }
      columns.add(new Column(headers.get(i), width, right.get(i)));
    }
    return new Columns(columns);
  }

  String header() {
    return row(columns.stream().map(Column::header).toList());
  }

  /** The cells padded to their columns; a cell wider than its column pushes the rest right. */
  String row(List<String> cells) {
    var line = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        line.append("  ");
      }
      Column column = columns.get(i);
      String cell = cells.get(i);
      String padding = " ".repeat(Math.max(0, column.width() - cell.length()));
      line.append(column.right() ? padding + cell : cell + padding);
    }
    return line.toString().stripTrailing();
  }
}
