package io.redisoperator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ControllerMainTest {

  @Test
  void unknownOptionsExitWithTwo() {
    assertEquals(2, ControllerMain.run(new String[] {"--no-such-option"}));
    assertEquals(2, ControllerMain.run(new String[] {"--metrics-port", "eighty"}));
  }

  @Test
  void helpExitsWithZero() {
    assertEquals(0, ControllerMain.run(new String[] {"--help"}));
  }
}
