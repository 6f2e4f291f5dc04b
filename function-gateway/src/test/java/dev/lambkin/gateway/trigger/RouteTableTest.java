package dev.lambkin.gateway.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lambkin.api.v1alpha1.HttpSource;
import dev.lambkin.api.v1alpha1.HttpSource.Method;
import dev.lambkin.api.v1alpha1.Trigger;
import dev.lambkin.api.v1alpha1.TriggerSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

class RouteTableTest {
    static Trigger route(String name, String created, String function, String host, String path, Method... methods) {
        Trigger t = new Trigger();
        t.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").withUid("uid-" + name)
                .withCreationTimestamp(created).withGeneration(1L).build());
        t.setSpec(new TriggerSpec());
        t.getSpec().function = function;
        t.getSpec().http = new HttpSource();
        t.getSpec().http.path = path;
        t.getSpec().http.host = host;
        t.getSpec().http.methods = methods.length == 0 ? null : List.of(methods);
        return t;
    }

    static String function(RouteTable.Match m) {
        return assertInstanceOf(RouteTable.Found.class, m).route().function();
    }

    @Test
    void theLongestMatchingPathWinsAndAPathTakesWhatIsBelowIt() {
        RouteTable table = RouteTable.of(List.of(route("all", "2026-01-01T00:00:00Z", "root", null, "/"),
                route("orders", "2026-01-01T00:00:00Z", "orders", null, "/orders"),
                route("one", "2026-01-01T00:00:00Z", "order", null, "/orders/special")));
        assertEquals("orders", function(table.match(null, "/orders", Method.GET)));
        assertEquals("orders", function(table.match(null, "/orders/", Method.GET)));
        assertEquals("orders", function(table.match(null, "/orders/42", Method.POST)));
        assertEquals("order", function(table.match(null, "/orders/special/x", Method.GET)));
        assertEquals("root", function(table.match(null, "/ordersx", Method.GET)), "a prefix is whole segments");
        assertEquals("root", function(table.match(null, "/", Method.GET)));
    }

    @Test
    void theGatewaysOwnPathsAreNeverRouted() {
        RouteTable table = RouteTable.of(List.of(route("all", "2026-01-01T00:00:00Z", "root", null, "/"),
                route("sneaky", "2026-01-01T00:00:00Z", "x", null, "/q/health")));
        assertInstanceOf(RouteTable.NoRoute.class, table.match(null, "/functions/a/b", Method.POST));
        assertInstanceOf(RouteTable.NoRoute.class, table.match(null, "/q/health", Method.GET));
        assertInstanceOf(RouteTable.Invalid.class, table.claim("uid-sneaky"));
        assertEquals("root", function(table.match(null, "/quiz", Method.GET)));
    }

    @Test
    void theOlderTriggerKeepsAPathAndTheNewerOneIsTold() {
        RouteTable table = RouteTable.of(List.of(route("newer", "2026-02-01T00:00:00Z", "b", null, "/pay", Method.POST),
                route("older", "2026-01-01T00:00:00Z", "a", null, "/pay/")));
        assertEquals("a", function(table.match(null, "/pay", Method.POST)));
        RouteTable.Conflicting lost = assertInstanceOf(RouteTable.Conflicting.class, table.claim("uid-newer"));
        assertEquals("team/older", lost.winner());
        assertEquals(Set.of(Method.POST), lost.methods());
        assertInstanceOf(RouteTable.Installed.class, table.claim("uid-older"));
    }

    @Test
    void triggersShareAPathByMethodAndOtherMethodsAre405() {
        RouteTable table = RouteTable.of(List.of(route("read", "2026-01-01T00:00:00Z", "reader", null, "/items", Method.GET),
                route("write", "2026-01-02T00:00:00Z", "writer", null, "/items", Method.POST, Method.PUT)));
        assertEquals("reader", function(table.match(null, "/items/1", Method.GET)));
        assertEquals("writer", function(table.match(null, "/items/1", Method.PUT)));
        RouteTable.WrongMethod wrong = assertInstanceOf(RouteTable.WrongMethod.class, table.match(null, "/items", Method.DELETE));
        assertEquals(Set.of(Method.GET, Method.POST, Method.PUT), wrong.allowed());
        assertInstanceOf(RouteTable.WrongMethod.class, table.match(null, "/items", null), "a method no route names");
    }

    @Test
    void routesForTheRequestsHostComeFirst() {
        RouteTable table = RouteTable.of(List.of(route("any", "2026-01-01T00:00:00Z", "any", null, "/"),
                route("shop", "2026-01-02T00:00:00Z", "shop", "shop.example.com", "/")));
        assertEquals("shop", function(table.match("Shop.Example.com", "/cart", Method.GET)));
        assertEquals("any", function(table.match("other.example.com", "/cart", Method.GET)));
        assertEquals("any", function(table.match(null, "/cart", Method.GET)));
        assertInstanceOf(RouteTable.Installed.class, table.claim("uid-shop"), "another host is another path");
    }

    @Test
    void theDigestChangesWithTheInstalledRoutes() {
        Trigger t = route("a", "2026-01-01T00:00:00Z", "f", null, "/a");
        String before = RouteTable.of(List.of(t)).digest();
        assertEquals(before, RouteTable.of(List.of(route("a", "2026-01-01T00:00:00Z", "f", null, "/a"))).digest());
        t.getMetadata().setGeneration(2L);
        assertNotEquals(before, RouteTable.of(List.of(t)).digest());
        assertNotEquals(before, RouteTable.EMPTY.digest());
    }
}
