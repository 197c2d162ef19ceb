package ccproto.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;

/**
 * JSON out exactly as JavaScript's JSON.stringify writes it, so a result of the command chaincode
 * compares byte for byte with test/chaincode/fixtures/allStub.ts: no whitespace, map keys in
 * insertion order, and JSON.stringify's escapes (\" \\ \b \f \n \r \t, other control characters
 * and lone surrogates as lower-case \\u00xx; '/' and everything else literal). org.json is not used
 * for output: it escapes "</" and U+0080..U+009F / U+2000..U+20FF differently.
 *
 * <p>Values: null, String, Boolean, Integer/Long, List, Map (a LinkedHashMap keeps the order).
 */
final class Json {
    private Json() {}

    static String write(final Object value) {
        final StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    static byte[] bytes(final Object value) {
        return write(value).getBytes(UTF_8);
    }

    private static void write(final StringBuilder sb, final Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            sb.append(v);
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(',');
                write(sb, list.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                quote(sb, (String) e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void quote(final StringBuilder sb, final String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    final boolean lone = Character.isHighSurrogate(c)
                            ? !(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                            : Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || lone) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** allStub.ts's list(): '' is [], otherwise a JSON array of strings. */
    static List<String> list(final String json) {
        final List<String> out = new ArrayList<>();
        if (json == null || json.isEmpty()) return out;
        final JSONArray a = new JSONArray(json);
        for (int i = 0; i < a.length(); i++) out.add(a.getString(i));
        return out;
    }
}
