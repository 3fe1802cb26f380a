package io.argus.models.action;

import java.util.SplittableRandom;

/**
 * A person drawn as an articulated stick figure: body proportions, looks and how it moves. The
 * pose at a time is a pure function of these values, so a figure animates the same way whether
 * it is rendered for training or into a clip.
 */
public final class Figure {

    final Action action;
    /** Height of the figure standing, in pixels of the scene. */
    final double height;
    /** Limb and torso thickness relative to height. */
    final double thickness;
    /** +1 facing right, -1 facing left. */
    final int facing;
    /** Horizontal speed in heights per second (signed by facing). */
    final double speed;
    /** Cycles per second of the gait, wave or jump. */
    final double frequency;
    final double phase;
    /** Size of the movement (swing angle scale, jump height), around 1. */
    final double amplitude;
    /** Grey level of the figure, 0..255. */
    final int grey;
    /** Whether an idle scene shows nobody at all. */
    final boolean absent;
    /** Position of the feet at time 0, as fractions of the scene. */
    final double startX;
    final double groundY;

    private Figure(Action action, double height, double thickness, int facing, double speed, double frequency,
            double phase, double amplitude, int grey, boolean absent, double startX, double groundY) {
        this.action = action;
        this.height = height;
        this.thickness = thickness;
        this.facing = facing;
        this.speed = speed;
        this.frequency = frequency;
        this.phase = phase;
        this.amplitude = amplitude;
        this.grey = grey;
        this.absent = absent;
        this.startX = startX;
        this.groundY = groundY;
    }

    /**
     * A random figure performing an action in a scene {@code sceneHeight} pixels high whose
     * background has mean grey {@code backgroundGrey}; it contrasts with the background.
     */
    public static Figure random(Action action, double sceneHeight, int backgroundGrey, SplittableRandom r) {
        int facing = r.nextBoolean() ? 1 : -1;
        double speed = speed(action, r);
        double frequency = frequency(action, r);
        int contrast = 60 + r.nextInt(120);
        int grey = backgroundGrey > 127 ? backgroundGrey - contrast : backgroundGrey + contrast;
        double startX = action == Action.WALKING || action == Action.RUNNING
                ? (facing > 0 ? r.nextDouble(0.05, 0.45) : r.nextDouble(0.55, 0.95))
                : r.nextDouble(0.25, 0.75);
        return new Figure(action, sceneHeight * r.nextDouble(0.35, 0.7), r.nextDouble(0.05, 0.09), facing,
                facing * speed, frequency, r.nextDouble(0, 2 * Math.PI), r.nextDouble(0.8, 1.2),
                Math.max(0, Math.min(255, grey)), action == Action.IDLE && r.nextInt(4) == 0, startX,
                r.nextDouble(0.8, 0.95));
    }

    /** The same person, seen in the same place, going on with another action (clips whose actions change). */
    public Figure doing(Action next, SplittableRandom r) {
        return new Figure(next, height, thickness, facing, facing * speed(next, r), frequency(next, r), phase,
                amplitude, grey, false, startX, groundY);
    }

    /** Heights per second across the scene. */
    private static double speed(Action action, SplittableRandom r) {
        return switch (action) {
            case WALKING -> r.nextDouble(0.35, 0.7);
            case RUNNING -> r.nextDouble(1.1, 2.0);
            default -> 0;
        };
    }

    /** Cycles per second of the gait, wave, jump or breathing. */
    private static double frequency(Action action, SplittableRandom r) {
        return switch (action) {
            case WALKING -> r.nextDouble(0.8, 1.1);
            case RUNNING -> r.nextDouble(1.3, 1.8);
            case WAVING -> r.nextDouble(1.2, 2.2);
            case JUMPING -> r.nextDouble(0.9, 1.5);
            case IDLE -> r.nextDouble(0.2, 0.4);
        };
    }

    public Action action() {
        return action;
    }
}
