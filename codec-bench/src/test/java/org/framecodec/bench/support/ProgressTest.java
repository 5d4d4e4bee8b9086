package org.framecodec.bench.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void offATerminalEachStepIsALineOfItsOwn() {
    StringWriter sink = new StringWriter();
    Progress p = Progress.lines(new PrintWriter(sink, true), "framecodec sweep");
    p.step("first");
    p.step(2, 3, "second");
    p.done();
    String[] lines = sink.toString().split("\n");
    assertEquals(2, lines.length, sink.toString());
    assertEquals("framecodec sweep: first", lines[0]);
    assertTrue(lines[1].matches("framecodec sweep: 2/3 second \\(\\d+ s\\)"), lines[1]);
  }

  @Test
  void onATerminalStepsRewriteOneLineThatEndsWhenDone() {
    StringWriter sink = new StringWriter();
    Progress p = Progress.live(new PrintWriter(sink, true), "x");
    p.step("a longer step");
    p.step("short");
    p.note("kept");
    p.step("last");
    p.done();
    p.done();
    assertEquals("\rx: a longer step\rx: short        \nx: kept\n\rx: last\n", sink.toString());
  }

  @Test
  void clearingErasesTheLiveLineForOtherOutputAndDoesNothingOffATerminal() {
    StringWriter live = new StringWriter();
    Progress p = Progress.live(new PrintWriter(live, true), "x");
    p.step("abc");
    p.clear();
    p.clear();
    p.done();
    assertEquals("\rx: abc\r      \r", live.toString());

    StringWriter log = new StringWriter();
    Progress lines = Progress.lines(new PrintWriter(log, true), "x");
    lines.step("abc");
    lines.clear();
    assertEquals("x: abc\n", log.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void aLiveLineIsCutBeforeItWraps() {
    StringWriter sink = new StringWriter();
    Progress.live(new PrintWriter(sink, true), "x").step("y".repeat(300));
    assertEquals(1 + 119, sink.toString().length());
    assertTrue(sink.toString().endsWith("..."));
  }
}
