package io.argus.models.packaging;

/** A throwable in words: its message (or its type when it has none), then its causes'. */
public final class Reasons {

    private Reasons() {}

    public static String of(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 600; t = t.getCause()) {
            String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (b.indexOf(text) < 0) {
                b.append(b.length() == 0 ? "" : ": ").append(text);
            }
        }
        return b.toString();
    }
}
