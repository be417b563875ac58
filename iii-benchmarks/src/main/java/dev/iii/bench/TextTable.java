package dev.iii.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: the first column left-aligned, the others right-aligned, each as wide as its
 * widest cell; a column whose header is {@code |} is a separator.
 *
 * <p>Not thread-safe; built and printed by one thread.
 */
final class TextTable {

  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private int leftAlignedFrom;

  /** A table with these column headers. */
  TextTable(String... headers) {
    rows.add(headers);
    leftAlignedFrom = headers.length;
  }

  /** Aligns the columns from {@code column} on to the left (text rather than numbers). */
  TextTable leftAlignFrom(int column) {
    leftAlignedFrom = column;
    return this;
  }

  /** Adds a row (as many cells as headers). */
  void row(String... cells) {
    if (cells.length != rows.get(0).length) {
      throw new IllegalArgumentException(
          "expected " + rows.get(0).length + " cells: " + Arrays.toString(cells));
    }
    rows.add(cells);
  }

  /** Adds a line printed under the table. */
  void note(String line) {
    notes.add(line);
  }

  /** Prints the table, indented by two spaces. */
  void print(PrintStream out) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < columns; i++) {
        String cell = row[i];
        String padding = " ".repeat(widths[i] - cell.length());
        line.append(i == 0 || i >= leftAlignedFrom ? cell + padding : padding + cell);
        if (i < columns - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
    notes.forEach(note -> out.println("  " + note));
  }
}
