package io.redisoperator.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ControllerMemoryTest {
  private static final String STATUS =
      """
      Name:\tjava
      Umask:\t0022
      State:\tS (sleeping)
      VmPeak:\t 3712400 kB
      VmSize:\t 3648220 kB
      VmLck:\t       0 kB
      VmHWM:\t  412348 kB
      VmRSS:\t  398020 kB
      RssAnon:\t  371200 kB
      Threads:\t73
      """;

  @Test
  void residentAndPeakComeFromTheirOwnStatusFields() {
    assertEquals(398020, ControllerMemory.statusKb(STATUS, "VmRSS"));
    assertEquals(412348, ControllerMemory.statusKb(STATUS, "VmHWM"));
    assertEquals(-1, ControllerMemory.statusKb("Name:\tjava\n", "VmRSS"));
  }

  @Test
  void aC1OnlyJvmHasOneCodeCache() {
    assertEquals(
        2587,
        ControllerMemory.parseCodeCacheUsedKb(
            """
            29846:
            CodeCache: size=49152Kb used=2587Kb max_used=3150Kb free=46565Kb
             bounds [0x00007f2061400000, 0x00007f2061720000, 0x00007f2064400000]
             total_blobs=1476 nmethods=1076 adapters=329
            """));
  }

  @Test
  void aTieredJvmsCodeHeapsAreSummed() {
    assertEquals(
        336 + 1773 + 1137,
        ControllerMemory.parseCodeCacheUsedKb(
            """
            30061:
            CodeHeap 'non-profiled nmethods': size=120036Kb used=336Kb max_used=336Kb free=119699Kb
             bounds [0x00007fd144ec7000, 0x00007fd145137000, 0x00007fd14c400000]
            CodeHeap 'profiled nmethods': size=120032Kb used=1773Kb max_used=1773Kb free=118258Kb
             bounds [0x00007fd13d400000, 0x00007fd13d670000, 0x00007fd144938000]
            CodeHeap 'non-nmethods': size=5692Kb used=1137Kb max_used=1154Kb free=4554Kb
             bounds [0x00007fd144938000, 0x00007fd144ba8000, 0x00007fd144ec7000]
             total_blobs=1487 nmethods=1072 adapters=329
            """));
    assertEquals(-1, ControllerMemory.parseCodeCacheUsedKb("30061:\nno such command\n"));
  }

  @Test
  void theMemoryLineGivesMebibytes() {
    assertEquals(
        "scale-memory: clusters=300 at=steady rss_mb=389 peak_rss_mb=403 code_cache_mb=NA",
        ScaleLine.format(300, "steady", new ControllerMemory(398020, 412348, -1)));
  }
}
