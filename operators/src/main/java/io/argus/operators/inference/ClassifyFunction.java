package io.argus.operators.inference;

import io.argus.connectors.events.AnalyticsEvent;
import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ClassifierFactory;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.ModelInput;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Classifies windows and emits one {@link AnalyticsEvent} per window, naming the model and
 * version that decided. The classifier is created in {@code open()} on the task manager (one per
 * parallel instance) and closed in {@code close()}; the same function serves video and audio.
 */
public final class ClassifyFunction<I extends ModelInput> extends ProcessFunction<I, AnalyticsEvent> {

    private static final long serialVersionUID = 1L;

    private final ClassifierFactory<I> factory;
    private final String eventKind;
    private final int topK;
    private transient Classifier<I> classifier;
    private transient Counter events;

    public ClassifyFunction(ClassifierFactory<I> factory, String eventKind, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be at least 1: " + topK);
        }
        this.factory = factory;
        this.eventKind = eventKind;
        this.topK = topK;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        classifier = factory.create();
        events = getRuntimeContext().getMetricGroup().counter("eventsEmitted");
    }

    @Override
    public void processElement(I window, Context ctx, Collector<AnalyticsEvent> out) {
        Classification c = classifier.classify(List.of(window)).get(0).topK(topK);
        out.collect(toEvent(window, c, classifier.info(), eventKind));
        events.inc();
    }

    @Override
    public void close() throws Exception {
        if (classifier != null) {
            classifier.close();
        }
    }

    static AnalyticsEvent toEvent(ModelInput window, Classification c, ModelInfo model, String kind) {
        AnalyticsEvent e = new AnalyticsEvent();
        e.streamId = window.streamId();
        e.kind = kind;
        e.label = c.label();
        e.score = c.score();
        e.topLabels = c.labels().toArray(new String[0]);
        e.topScores = c.scores().clone();
        e.windowStartMs = window.startMs();
        e.windowEndMs = window.endMs();
        e.modelName = model.name();
        e.modelVersion = model.version();
        e.decodedAtMs = window.decodedAtMs();
        e.inferredAtMs = System.currentTimeMillis();
        return e;
    }
}
