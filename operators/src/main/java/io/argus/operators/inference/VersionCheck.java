package io.argus.operators.inference;

import io.argus.models.classify.Classifier;
import io.argus.models.input.ModelInput;
import io.argus.models.packaging.InvalidModelPackageException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The half of hot reload that runs off the task thread: asks a watched {@link ModelSource} which
 * version should serve and which should run as a shadow, loads and admits a new one, and records
 * a package at fault as refused. It holds no serving state: each check is given the version
 * serving, the shadow running and the versions refused in this run, and returns an
 * {@link Outcome} that {@link BatchClassifyOperator} acts on between two batches. Plain Java, so
 * its decisions are tested without a Flink harness or threads.
 */
final class VersionCheck<I extends ModelInput> {

    private static final Logger LOG = LoggerFactory.getLogger(VersionCheck.class);

    /**
     * What a check found: a loaded candidate, a refused one (no classifier, a reason), or nothing
     * new (no version). {@code from} is the version that served when the check began;
     * {@code replacing} is a reason to leave it even though the candidate is an older one (it was
     * refused).
     */
    record Outcome<I extends ModelInput>(String version, Classifier<I> classifier, String reason, long loadMs,
            String from, String replacing) {

        static <I extends ModelInput> Outcome<I> nothingNew() {
            return new Outcome<>(null, null, null, 0, null, null);
        }

        /** Closes the candidate's classifier, if it loaded one. */
        void discard() throws Exception {
            if (classifier != null) {
                classifier.close();
            }
        }
    }

    private final ModelSource<I> source;
    /** Who refuses, for the record: the operator and its subtask. */
    private final String who;

    VersionCheck(ModelSource<I> source, String who) {
        this.source = source;
        this.who = who;
    }

    /**
     * Finds the version that should serve and loads it if it is not {@code current}. It is the
     * source's version unless that was refused (in this job, or recorded by another), then the
     * source's best fallback; {@code current} is left when it was refused since it began to serve.
     * A version refused by another job is returned refused ("refused before"), once, so that the
     * operator reports it; the next check then falls back.
     */
    Outcome<I> serving(String current, Map<String, String> refused) {
        String version = null;
        long t0 = System.nanoTime();
        try {
            String named = source.serving();
            String currentRefusal = refused.containsKey(current) ? refused.get(current) : source.refusal(current);
            if (!refused.containsKey(named) && !named.equals(current)) {
                String earlier = source.refusal(named);
                if (earlier != null) {
                    return new Outcome<>(named, null, "refused before: " + earlier, 0, current, null);
                }
                version = named;
            } else if (named.equals(current) && currentRefusal == null) {
                return Outcome.nothingNew();
            } else {
                version = bestFallback(current, refused, currentRefusal != null);
                if (version == null || version.equals(current)) {
                    return Outcome.nothingNew();
                }
            }
            return new Outcome<>(version, source.load(version), null, millisSince(t0), current, currentRefusal);
        } catch (Exception | LinkageError e) {
            if (version == null) {
                LOG.warn("{}: cannot read which version should serve: {}", source.describe(), reason(e));
                return Outcome.nothingNew();
            }
            recordRefusal(version, e, "refused when a job loaded it");
            return new Outcome<>(version, null, reason(e), millisSince(t0), current, null);
        }
    }

    /**
     * Finds the version that should run as a shadow: a loaded or refused candidate when the source
     * names a new one, nothing new (no version) when it names none, or the version serving, while
     * {@code currentShadow} runs (the shadow stops), and null when there is nothing to act on.
     */
    Outcome<I> shadow(String current, String currentShadow, Map<String, String> refused) {
        String wanted;
        try {
            wanted = source.shadow();
        } catch (Exception | LinkageError e) {
            LOG.warn("{}: cannot read which version should run as a shadow: {}", source.describe(), reason(e));
            return null;
        }
        if (wanted == null || wanted.equals(current)) {
            return currentShadow != null ? Outcome.nothingNew() : null;
        }
        if (wanted.equals(currentShadow) || refused.containsKey(wanted)) {
            return null;
        }
        long t0 = System.nanoTime();
        try {
            String earlier = source.refusal(wanted);
            if (earlier != null) {
                return new Outcome<>(wanted, null, "refused before: " + earlier, 0, current, null);
            }
            return new Outcome<>(wanted, source.load(wanted), null, millisSince(t0), current, null);
        } catch (Exception | LinkageError e) {
            recordRefusal(wanted, e, "refused as a shadow when a job loaded it");
            return new Outcome<>(wanted, null, reason(e), millisSince(t0), current, null);
        }
    }

    /** The source's best fallback that was not refused: {@code current} itself if it comes first and is good. */
    private String bestFallback(String current, Map<String, String> refused, boolean currentRefused)
            throws Exception {
        for (String v : source.fallbacks()) {
            if (refused.containsKey(v) || (v.equals(current) && currentRefused)) {
                continue;
            }
            if (v.equals(current) || source.refusal(v) == null) {
                return v;
            }
        }
        return null;
    }

    /**
     * Records a refusal with the source when the package itself is at fault (another job may use
     * a version that failed here for other reasons, or read it later); best effort.
     */
    void recordRefusal(String version, Throwable e, String when) {
        if (e instanceof InvalidModelPackageException) {
            refuse(version, reason(e), when);
        }
    }

    /** Records a refusal with the source whatever its cause; best effort. */
    void refuse(String version, String reason, String when) {
        try {
            source.refuse(version, reason, who + ", " + when);
        } catch (Exception | LinkageError failed) {
            LOG.warn("{}: cannot record that version {} is refused: {}", source.describe(), version, reason(failed));
        }
    }

    static String reason(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
