package io.redisoperator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisLinksTest {
  @Test
  void theNodeBehindAProxyIsTheLocalAddressOfClientInfo() {
    String info =
        "id=7 addr=127.0.60.1:40312 laddr=127.0.60.5:6379 fd=9 name= age=0 idle=0 flags=N db=0\n";
    assertEquals(Optional.of("127.0.60.5"), RedisLinks.localAddress(info));
    assertEquals(Optional.empty(), RedisLinks.localAddress("id=7 addr=127.0.60.1:40312"));
  }

  @Test
  void infoFieldsAreReadByName() {
    String info = "# Replication\r\nrole:slave\r\nslave_repl_offset:4242\r\nmaster_replid:abc\r\n";
    assertEquals(Optional.of("4242"), RedisLinks.field(info, "slave_repl_offset"));
    assertEquals(Optional.of("abc"), RedisLinks.field(info, "master_replid"));
    assertEquals(Optional.empty(), RedisLinks.field(info, "master_host"));
  }
}
