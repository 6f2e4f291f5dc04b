package dev.lambkin.gateway.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FunctionNamesTest {
    @Test
    void namesPartialArnsAndArnsNameTheNamespaceInTheAccountField() {
        assertEquals(new FunctionNames.Named(null, "hello", null), FunctionNames.parse("hello", null));
        assertEquals(new FunctionNames.Named(null, "hello", "$LATEST"), FunctionNames.parse("hello:$LATEST", null));
        assertEquals(new FunctionNames.Named("team-a", "hello", null), FunctionNames.parse("team-a:function:hello", null));
        assertEquals(new FunctionNames.Named("team-a", "hello", "$LATEST"),
                FunctionNames.parse("arn:aws:lambda:eu-west-1:team-a:function:hello", "$LATEST"));
        assertEquals(new FunctionNames.Named("team-a", "hello", "v2"), FunctionNames.parse("arn:aws:lambda:us-east-1:team-a:function:hello:v2", null));
        assertEquals("arn:aws:lambda:us-east-1:team-a:function:hello", FunctionNames.arn("us-east-1", "team-a", "hello"));
    }

    @Test
    void whatIsNotAFunctionNameIsRefusedSayingWhy() {
        assertThrows(IllegalArgumentException.class, () -> FunctionNames.parse("", null));
        assertThrows(IllegalArgumentException.class, () -> FunctionNames.parse("Hello_World", null), "not a DNS label");
        assertThrows(IllegalArgumentException.class, () -> FunctionNames.parse("arn:aws:lambda:us-east-1:Team:function:hello", null));
        assertThrows(IllegalArgumentException.class, () -> FunctionNames.parse("a:b:c:d", null));
        var differ = assertThrows(IllegalArgumentException.class, () -> FunctionNames.parse("hello:v1", "v2"));
        assertEquals("the qualifier in FunctionName (v1) and Qualifier (v2) differ", differ.getMessage());
    }
}
