package io.argus.jobs.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.MetricGroup;

/**
 * Names and labels of Flink metrics the way Flink's own Prometheus reporter
 * ({@code flink-metrics-prometheus}) writes them, so that a job run in this process and one on a
 * cluster give the same series: {@code flink_<logical scope>_<name>}, e.g.
 * {@code flink_taskmanager_job_task_operator_stream_framesIn}, labelled with the group's variables
 * ({@code job_name}, {@code operator_name}, {@code subtask_index}, {@code stream}, ...). Label values
 * are kept as they are, as with {@code filterLabelValueCharacters: false} on a cluster.
 */
final class PrometheusNames {

    private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9:_]");
    private static final CharacterFilter FILTER = s -> INVALID.matcher(s).replaceAll("_");

    private PrometheusNames() {}

    /** The series name of metric {@code name} in {@code group}. */
    static String name(String name, MetricGroup group) {
        String scope = LogicalScopeProvider.castFrom(group).getLogicalScope(FILTER, '_');
        return "flink_" + scope + "_" + FILTER.filterCharacters(name);
    }

    /** The group's variables as labels, sorted by name. */
    static Map<String, String> labels(MetricGroup group) {
        Map<String, String> labels = new TreeMap<>();
        for (Map.Entry<String, String> v : group.getAllVariables().entrySet()) {
            String key = v.getKey();
            labels.put(FILTER.filterCharacters(key.substring(1, key.length() - 1)), v.getValue());
        }
        return labels;
    }

    static List<String> names(Map<String, String> labels) {
        return new ArrayList<>(labels.keySet());
    }

    static List<String> values(Map<String, String> labels) {
        return new ArrayList<>(labels.values());
    }
}
