package dev.asap.cli;

/** Entry point of the {@code asap} command. */
public final class AsapCommand {
  private AsapCommand() {}

  public static void main(String[] args) {}
}
