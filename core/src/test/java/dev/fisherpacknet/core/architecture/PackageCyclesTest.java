package dev.fisherpacknet.core.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code core} depend on each other in one direction only: the JDK's {@code jdeps} reads the
 * compiled classes (every reference the compiler kept, imports or not), and any group of packages that reach each
 * other fails the build, named with the class-level references that close it.
 */
class PackageCyclesTest {

    private static final String ROOT = "dev.fisherpacknet.core";
    private static final Pattern EDGE = Pattern.compile("^\\s+(" + Pattern.quote(ROOT) + "[\\w.$]*)\\s+->\\s+("
            + Pattern.quote(ROOT) + "[\\w.$]*)\\s");

    @Test
    void coresPackages_formNoCycle() {
        Path classes = Path.of("target", "classes");
        assertTrue(Files.isDirectory(classes.resolve("dev/fisherpacknet/core")), "compiled classes in " + classes);

        Map<String, Set<String>> packages = graph(jdeps("-verbose:package", classes), false);
        List<Set<String>> cycles = cycles(packages);

        String detail = "";
        if (!cycles.isEmpty()) {
            StringBuilder why = new StringBuilder();
            Map<String, Set<String>> byClass = graph(jdeps("-verbose:class", classes), true);
            for (Set<String> cycle : cycles) {
                why.append("\ncycle ").append(cycle).append(':');
                byClass.forEach((from, tos) -> tos.forEach(to -> {
                    String a = packageOf(from);
                    String b = packageOf(to);
                    if (!a.equals(b) && cycle.contains(a) && cycle.contains(b)) {
                        why.append("\n  ").append(from).append(" -> ").append(to);
                    }
                }));
            }
            detail = why.toString();
        }
        assertEquals(List.of(), cycles, "package cycles in core:" + detail);
    }

    @Test
    void cycles_findsEveryGroupThatReachesItself_andNothingElse() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", Set.of("b"));
        graph.put("b", Set.of("c", "d"));
        graph.put("c", Set.of("a"));
        graph.put("d", Set.of("e"));
        graph.put("e", Set.of("d"));
        graph.put("f", Set.of("a"));

        assertEquals(List.of(Set.of("a", "b", "c"), Set.of("d", "e")), cycles(graph).stream()
                .sorted((x, y) -> x.iterator().next().compareTo(y.iterator().next())).toList());
        assertEquals(List.of(), cycles(Map.of("a", Set.of("b"), "b", Set.of("c"))));
    }

    private static String jdeps(String verbosity, Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(
                () -> new AssertionError("this JDK has no jdeps tool (module jdk.jdeps)"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), verbosity, "-filter:none", "-e",
                Pattern.quote(ROOT) + ".*", classes.toString());
        assertEquals(0, status, "jdeps failed: " + err);
        return out.toString();
    }

    /** Edges between distinct packages (or, with {@code classes}, between classes of distinct packages). */
    private static Map<String, Set<String>> graph(String jdepsOutput, boolean classes) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : jdepsOutput.split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                String from = m.group(1);
                String to = m.group(2);
                if (!packageOf(from, classes).equals(packageOf(to, classes))) {
                    graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        return graph;
    }

    private static String packageOf(String name, boolean isClass) {
        return isClass ? packageOf(name) : name;
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    /** The strongly connected groups of more than one node (Tarjan's algorithm). */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> groups = new ArrayList<>();
        for (String node : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, groups);
            }
        }
        return groups;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> groups) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, groups);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> group = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                group.add(member);
            } while (!member.equals(node));
            if (group.size() > 1) {
                groups.add(group);
            }
        }
    }
}
